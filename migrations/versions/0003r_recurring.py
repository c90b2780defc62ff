"""Recurring transactions and bill reminders."""

import sqlalchemy as sa
from alembic import op

from tenants import ddl, rls

revision = "0003r"  # created 2026-11-26
down_revision = "0002"


def upgrade() -> None:
    rls.create_tenant_table(
        "recurring_rules",
        # The transaction each occurrence posts.
        ddl.kind(),
        ddl.money(),
        ddl.currency(),
        sa.Column("category_id", sa.BigInteger, nullable=False),
        sa.Column("description", sa.String(200), nullable=False, server_default=""),
        sa.Column("payment_method_id", sa.BigInteger),
        sa.Column("tags", sa.ARRAY(sa.String(40)), nullable=False, server_default=sa.text("'{}'")),
        # The schedule (python-dateutil rrule underneath).
        sa.Column("frequency", sa.String(8), nullable=False),
        sa.Column("interval", sa.SmallInteger, nullable=False, server_default="1"),
        sa.Column("weekday", sa.SmallInteger),  # weekly: 0 = Monday
        sa.Column("month_day", sa.SmallInteger),  # monthly/yearly: 1..31, -1 = last day
        sa.Column("month", sa.SmallInteger),  # yearly
        sa.Column("start_date", sa.Date, nullable=False),
        sa.Column("end_date", sa.Date),
        sa.Column("count", sa.Integer),
        # Where the current schedule starts (moves when the schedule is edited) and how many
        # occurrences came before it; the materialiser's watermark and its count.
        sa.Column("anchor_date", sa.Date, nullable=False),
        sa.Column("anchor_done", sa.Integer, nullable=False, server_default="0"),
        sa.Column("posted_through", sa.Date),
        sa.Column("done", sa.Integer, nullable=False, server_default="0"),
        sa.Column("skipped", sa.ARRAY(sa.Date), nullable=False, server_default=sa.text("'{}'")),
        sa.Column("paused_at", ddl.TS),
        sa.Column("is_bill", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("remind_days_before", sa.SmallInteger, nullable=False, server_default="3"),
        *ddl.authorship(),
        *ddl.posting_checks(),
        sa.CheckConstraint(
            "frequency IN ('daily', 'weekly', 'monthly', 'yearly')", name="frequency_known"
        ),
        sa.CheckConstraint('"interval" BETWEEN 1 AND 99', name="interval_range"),
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        sa.CheckConstraint("month_day = -1 OR month_day BETWEEN 1 AND 31", name="month_day_range"),
        sa.CheckConstraint("month BETWEEN 1 AND 12", name="month_range"),
        sa.CheckConstraint("end_date IS NULL OR end_date >= start_date", name="end_after_start"),
        sa.CheckConstraint("count IS NULL OR count > 0", name="count_positive"),
        sa.CheckConstraint("remind_days_before BETWEEN 0 AND 60", name="remind_range"),
        ddl.category_fk("recurring_rules"),
        rls.tenant_fk("payment_method_id", "payment_methods"),
    )

    rls.create_tenant_table(
        "reminders",
        sa.Column("title", sa.String(120), nullable=False),
        sa.Column("due_date", sa.Date, nullable=False),
        ddl.money(nullable=True),
        ddl.currency(),
        sa.Column("remind_days_before", sa.SmallInteger, nullable=False, server_default="3"),
        sa.Column("paid_at", ddl.TS),
        ddl.created_by(),
        ddl.stamp(),
        sa.CheckConstraint("amount IS NULL OR amount > 0", name="amount_positive"),
        sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name="currency_iso"),
        sa.CheckConstraint("remind_days_before BETWEEN 0 AND 60", name="remind_range"),
    )
    rls.create_tenant_index("ix_reminders_due", "reminders", ["due_date"])

    # Which rule and which occurrence a transaction was posted for: each at most once.
    op.add_column("transactions", sa.Column("recurring_rule_id", sa.BigInteger))
    op.add_column("transactions", sa.Column("occurrence_date", sa.Date))
    # Deleting a rule keeps its transactions; only the rule column is cleared (PostgreSQL 15+).
    op.execute(
        "ALTER TABLE transactions ADD CONSTRAINT fk_recurring_rule_id_recurring_rules "
        "FOREIGN KEY (org_id, recurring_rule_id) REFERENCES recurring_rules (org_id, id) "
        "ON DELETE SET NULL (recurring_rule_id)"
    )
    op.create_check_constraint(
        "occurrence_with_rule",
        "transactions",
        "recurring_rule_id IS NULL OR occurrence_date IS NOT NULL",
    )
    rls.create_tenant_index(
        "uq_transactions_occurrence",
        "transactions",
        ["recurring_rule_id", "occurrence_date"],
        unique=True,
        postgresql_where=sa.text("recurring_rule_id IS NOT NULL"),
    )

    # The periodic fan-outs need the orgs with something to do; organisations is global and
    # rules are tenant rows, so a SECURITY DEFINER function (owned by the BYPASSRLS role)
    # answers with org ids only.
    ddl.create_definer(
        "outlay_recurring_orgs()",
        "TABLE (org_id bigint)",
        """
        SELECT r.org_id FROM public.recurring_rules r WHERE r.paused_at IS NULL
        UNION
        SELECT m.org_id FROM public.reminders m WHERE m.paid_at IS NULL
        """,
    )
    op.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {rls.APP_ROLE}")


def downgrade() -> None:
    op.execute("DROP FUNCTION IF EXISTS outlay_recurring_orgs()")
    op.drop_index("uq_transactions_occurrence", "transactions")
    op.drop_constraint("occurrence_with_rule", "transactions")
    op.drop_constraint("fk_recurring_rule_id_recurring_rules", "transactions")
    op.drop_column("transactions", "occurrence_date")
    op.drop_column("transactions", "recurring_rule_id")
    op.drop_table("reminders")
    op.drop_table("recurring_rules")
