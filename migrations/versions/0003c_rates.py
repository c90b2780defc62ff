"""Multi-currency: ECB reference rates (global), and each transaction's rate and base amount."""

import io

import sqlalchemy as sa
from alembic import op

from tenants import ddl, rls

revision = "0003c"  # created 2026-11-25
down_revision = "0002"


def upgrade() -> None:
    # Global: rates are public facts, not tenant data.
    op.create_table(
        "fx_rates",
        ddl.currency(),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("per_eur", sa.Numeric(20, 10), nullable=False),
        sa.Column("source", sa.String(16), nullable=False, server_default="ecb"),
        sa.PrimaryKeyConstraint("currency", "day", name="pk_fx_rates"),
        sa.CheckConstraint("per_eur > 0", name="ck_fx_rates_positive"),
    )
    rls.grant_runtime("fx_rates", "SELECT, INSERT, UPDATE")
    _load_bundled_history()

    op.add_column("transactions", sa.Column("rate", sa.Numeric(20, 10)))
    op.add_column("transactions", sa.Column("rate_date", sa.Date))
    op.add_column("transactions", sa.Column("rate_source", sa.String(16)))
    op.add_column("transactions", sa.Column("base_amount", sa.Numeric(19, 4)))
    op.execute(
        "UPDATE transactions SET rate = 1, rate_date = date, rate_source = 'base', "
        "base_amount = amount"
    )
    for column in ("rate", "rate_source", "base_amount"):
        op.alter_column("transactions", column, nullable=False)
    op.create_check_constraint("rate_positive", "transactions", "rate > 0")
    op.create_check_constraint("base_amount_not_negative", "transactions", "base_amount >= 0")
    op.create_check_constraint(
        "rate_source_known", "transactions", "rate_source IN ('base', 'ecb', 'override')"
    )
    # Sorting, amount filters and reports compare like with like: the base amount.
    _amount_indexes_on("base_amount")


def _amount_indexes_on(column: str) -> None:
    """The keyset order by amount, and the covering index the reports sum, on `column`."""
    op.drop_index("ix_transactions_amount", "transactions")
    rls.create_tenant_index("ix_transactions_amount", "transactions", [column, "id"])
    op.drop_index("ix_transactions_kind_date", "transactions")
    rls.create_tenant_index(
        "ix_transactions_kind_date",
        "transactions",
        ["kind", "date"],
        postgresql_include=[column, "category_id"],
    )


def _load_bundled_history() -> None:
    from app.services.fx.rate_data import bundled_history

    buffer = io.StringIO()
    for day, code, per_eur in bundled_history():
        buffer.write(f"{code}\t{day.isoformat()}\t{per_eur}\n")
    buffer.seek(0)
    raw = op.get_bind().connection.dbapi_connection
    with raw.cursor() as cursor:
        cursor.copy_expert("COPY fx_rates (currency, day, per_eur) FROM STDIN", buffer)


def downgrade() -> None:
    _amount_indexes_on("amount")
    for name in ("rate_positive", "base_amount_not_negative", "rate_source_known"):
        op.drop_constraint(name, "transactions")
    for column in ("rate", "rate_date", "rate_source", "base_amount"):
        op.drop_column("transactions", column)
    op.drop_table("fx_rates")
