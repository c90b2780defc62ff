"""Budgets, budget alerts, notifications and notification preferences."""

import sqlalchemy as sa
from alembic import op

from tenants import ddl, rls

revision = "0003b"  # created 2026-11-26
down_revision = "0002"

NOTIFICATION_KINDS = "kind IN ('budget_alert', 'bill_reminder', 'digest')"


def upgrade() -> None:
    rls.create_tenant_table(
        "budgets",
        sa.Column("name", sa.String(80), nullable=False),
        # NULL: all spending. The kind column lets the key point at expense categories only.
        sa.Column("category_id", sa.BigInteger),
        sa.Column("category_kind", sa.String(8), nullable=False, server_default="expense"),
        sa.Column("period", sa.String(8), nullable=False),
        ddl.money(),
        sa.Column("rollover", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column(
            "thresholds",
            sa.ARRAY(sa.SmallInteger),
            nullable=False,
            server_default=sa.text("'{80,100}'"),
        ),
        *ddl.authorship(),
        sa.CheckConstraint("category_kind = 'expense'", name="budget_on_expenses"),
        sa.CheckConstraint("period IN ('monthly', 'annual')", name="period_known"),
        sa.CheckConstraint("amount > 0", name="amount_positive"),
        sa.CheckConstraint(
            "cardinality(thresholds) BETWEEN 1 AND 5 "
            "AND 1 <= ALL(thresholds) AND 200 >= ALL(thresholds)",
            name="thresholds_range",
        ),
        ddl.category_fk("budgets", kind_column="category_kind"),
    )
    rls.create_tenant_index("ix_budgets_category", "budgets", ["category_id"])

    # One row per (budget, period, threshold) crossed: the alert is sent once, by construction.
    rls.create_tenant_table(
        "budget_alerts",
        sa.Column("budget_id", sa.BigInteger, nullable=False),
        sa.Column("period_start", sa.Date, nullable=False),
        sa.Column("threshold", sa.SmallInteger, nullable=False),
        ddl.money("spent"),
        ddl.money("available"),
        ddl.stamp(),
        rls.tenant_fk("budget_id", "budgets", ondelete="CASCADE"),
        sa.UniqueConstraint(
            "org_id", "budget_id", "period_start", "threshold", name="uq_budget_alerts_once"
        ),
    )

    rls.create_tenant_table(
        "notifications",
        ddl.user_ref(),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("body", sa.Text, nullable=False, server_default=""),
        sa.Column("link", sa.String(500), nullable=False, server_default=""),
        sa.Column("dedupe_key", sa.String(200), nullable=False),
        ddl.stamp(),
        sa.Column("read_at", ddl.TS),
        sa.Column("emailed_at", ddl.TS),
        sa.Column("digested_at", ddl.TS),
        sa.CheckConstraint(NOTIFICATION_KINDS, name="notification_kind_known"),
        sa.UniqueConstraint("org_id", "user_id", "dedupe_key", name="uq_notifications_dedupe"),
    )
    rls.create_tenant_index("ix_notifications_user", "notifications", ["user_id", "id"])

    rls.create_tenant_table(
        "notification_preferences",
        ddl.user_ref(),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("delivery", sa.String(16), nullable=False),
        ddl.stamp("updated_at"),
        sa.CheckConstraint(NOTIFICATION_KINDS, name="preference_kind_known"),
        sa.CheckConstraint(
            "delivery IN ('immediate', 'digest', 'in_app', 'off')", name="delivery_known"
        ),
        sa.UniqueConstraint("org_id", "user_id", "kind", name="uq_notification_preferences"),
    )
    op.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {rls.APP_ROLE}")


def downgrade() -> None:
    for table in ("notification_preferences", "notifications", "budget_alerts", "budgets"):
        op.drop_table(table)
