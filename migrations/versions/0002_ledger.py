"""Ledger: categories, payment methods, transactions, saved views; personal API tokens."""

import sqlalchemy as sa
from alembic import op

from tenants import ddl, rls

revision = "0002"  # created 2026-11-25
down_revision = "0001"


def upgrade() -> None:
    _categories()
    _payment_methods()
    _transactions()
    _saved_views()
    _api_tokens()
    # After every table: the runtime role inserts through their identity sequences.
    op.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {rls.APP_ROLE}")
    _token_access()
    _seed_existing_orgs()


def _categories() -> None:
    """Income and expense categories (one level of nesting), a live name once per parent."""
    rls.create_tenant_table(
        "categories",
        ddl.kind(),
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("parent_id", sa.BigInteger),
        sa.Column("color", sa.String(7), nullable=False, server_default="#6c757d"),
        sa.Column("icon", sa.String(32), nullable=False, server_default="tag"),
        sa.Column("archived_at", ddl.TS),
        ddl.stamp(),
        sa.CheckConstraint(ddl.KIND, name="kind_known"),
        sa.CheckConstraint("color ~ '^#[0-9a-f]{6}$'", name="color_hex"),
        sa.CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
        # The key the kind-carrying foreign keys point at.
        sa.UniqueConstraint("org_id", "id", "kind", name="uq_categories_org_id_id_kind"),
        # A child has its parent's kind, in the same org.
        sa.ForeignKeyConstraint(
            ["org_id", "parent_id", "kind"],
            ["categories.org_id", "categories.id", "categories.kind"],
            name="fk_categories_parent",
        ),
    )
    op.execute(
        "CREATE UNIQUE INDEX uq_categories_name ON categories "
        "(org_id, kind, COALESCE(parent_id, 0), lower(name)) WHERE archived_at IS NULL"
    )


def _payment_methods() -> None:
    """The cards and accounts an org pays with, each live name once."""
    rls.create_tenant_table(
        "payment_methods",
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("archived_at", ddl.TS),
        ddl.stamp(),
    )
    op.execute(
        "CREATE UNIQUE INDEX uq_payment_methods_name ON payment_methods "
        "(org_id, lower(name)) WHERE archived_at IS NULL"
    )


def _transactions() -> None:
    """The ledger itself, with the indexes its lists and the dashboard read."""
    rls.create_tenant_table(
        "transactions",
        ddl.kind(),
        sa.Column("date", sa.Date, nullable=False),
        ddl.money(),
        ddl.currency(),
        sa.Column("category_id", sa.BigInteger, nullable=False),
        sa.Column("description", sa.String(200), nullable=False, server_default=""),
        sa.Column("payment_method_id", sa.BigInteger),
        sa.Column("notes", sa.Text, nullable=False, server_default=""),
        sa.Column("tags", sa.ARRAY(sa.String(40)), nullable=False, server_default=sa.text("'{}'")),
        sa.Column("status", sa.String(16), nullable=False, server_default="posted"),
        *ddl.authorship(),
        sa.Column(
            "search",
            sa.dialects.postgresql.TSVECTOR,
            sa.Computed("to_tsvector('simple'::regconfig, description || ' ' || notes)"),
        ),
        *ddl.posting_checks(),
        sa.CheckConstraint("status IN ('posted', 'pending', 'rejected')", name="status_known"),
        sa.CheckConstraint("length(notes) <= 2000", name="notes_length"),
        ddl.category_fk("transactions"),
        rls.tenant_fk("payment_method_id", "payment_methods"),
    )
    # Keyset orders: (date, id) and (amount, id); category filter; the dashboard's month sums.
    rls.create_tenant_index("ix_transactions_date", "transactions", ["date", "id"])
    rls.create_tenant_index("ix_transactions_amount", "transactions", ["amount", "id"])
    rls.create_tenant_index("ix_transactions_category", "transactions", ["category_id", "date"])
    rls.create_tenant_index(
        "ix_transactions_kind_date",
        "transactions",
        ["kind", "date"],
        postgresql_include=["amount", "category_id"],
    )
    # Full-text search. A GIN index cannot lead with a bigint without the btree_gin extension,
    # which the embedded server lacks; RLS and the org_id filter still scope every match.
    op.execute("CREATE INDEX ix_transactions_search ON transactions USING gin (search)")


def _saved_views() -> None:
    """A user's named filters of the transactions list."""
    rls.create_tenant_table(
        "saved_views",
        ddl.user_ref(),
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("query", sa.String(2000), nullable=False),
        ddl.stamp(),
    )
    op.execute(
        "CREATE UNIQUE INDEX uq_saved_views_name ON saved_views (org_id, user_id, lower(name))"
    )


def _api_tokens() -> None:
    # Global: a user's tokens work in every org they belong to; only the digest is stored.
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer, primary_key=True),
        ddl.user_ref(),
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("prefix", sa.String(16), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False, unique=True),
        ddl.stamp(),
        sa.Column("last_used_at", ddl.TS),
        sa.Column("revoked_at", ddl.TS),
    )
    op.create_index("ix_api_tokens_user_id", "api_tokens", ["user_id"])
    rls.grant_runtime("api_tokens")


def _token_access() -> None:
    # One statement resolves a token for an org: the user, the org and the role. SECURITY
    # DEFINER (owned by the BYPASSRLS role) because the membership row is only visible once
    # the org is known; it answers only for a live token, and only about its own user.
    op.execute(
        ddl.token_access_sql(
            "LEFT JOIN", "o.slug = org_slug", "a live token, but no such org (or none asked for)"
        )
    )
    ddl.grant_definer(ddl.ACCESS_FUNCTION)
    op.execute(f"GRANT UPDATE (last_used_at) ON api_tokens TO {rls.ADMIN_ROLE}")


def _seed_existing_orgs() -> None:
    """Orgs created before this migration get the default categories and payment methods."""
    from app.services.ledger.ledger_defaults import DEFAULT_CATEGORIES, DEFAULT_PAYMENT_METHODS

    # The owner bypasses nothing: FORCE RLS applies to it too, so seed org by org.
    bind = op.get_bind()
    for (org_id,) in bind.execute(sa.text("SELECT id FROM organisations")).all():
        bind.execute(sa.text("SELECT set_config('app.org_id', :o, true)"), {"o": str(org_id)})
        for kind, name, color, icon in DEFAULT_CATEGORIES:
            bind.execute(
                sa.text(
                    "INSERT INTO categories (org_id, kind, name, color, icon) "
                    "VALUES (:o, :k, :n, :c, :i)"
                ),
                {"o": org_id, "k": kind, "n": name, "c": color, "i": icon},
            )
        for name in DEFAULT_PAYMENT_METHODS:
            bind.execute(
                sa.text("INSERT INTO payment_methods (org_id, name) VALUES (:o, :n)"),
                {"o": org_id, "n": name},
            )
    bind.execute(sa.text("SELECT set_config('app.org_id', '', true)"))


def downgrade() -> None:
    op.execute("DROP FUNCTION IF EXISTS outlay_token_access(text, text)")
    for table in ("api_tokens", "saved_views", "transactions", "payment_methods", "categories"):
        op.drop_table(table)
