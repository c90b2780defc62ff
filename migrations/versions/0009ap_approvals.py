"""Expense approvals: a policy per org, each transaction's approval state, reimbursements and
receipts.

Every existing transaction is `approved` (the column's default): what was posted before counts
as it did. Transactions gain who took the first of two approval steps, when they were
submitted, whether they were paid personally and, once paid back, their reimbursement.
"""

import sqlalchemy as sa
from alembic import op

from tenants import ddl, rls

revision = "0009ap"  # created 2026-12-02
down_revision = "0008"

STATES = "approval_state IN ('draft', 'submitted', 'approved', 'rejected', 'returned')"
# The policy's optional amounts (None: no such rule), none below zero; each with its check's name.
POLICY_AMOUNTS = (
    ("approval_amount", "amount_ok"),
    ("accountant_limit", "limit_ok"),
    ("two_step_amount", "two_ok"),
    ("receipt_amount", "receipt_ok"),
)
# Approval requests, decisions and reimbursements are one kind of notification ("approval").
OLD_KINDS = "kind IN ('budget_alert', 'bill_reminder', 'digest')"
NEW_KINDS = "kind IN ('budget_alert', 'bill_reminder', 'digest', 'approval')"
KIND_CHECKS = (
    ("notifications", "ck_notifications_notification_kind_known"),
    ("notification_preferences", "ck_notification_preferences_preference_kind_known"),
)


def _kinds(check: str) -> None:
    for table, name in KIND_CHECKS:
        op.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
        op.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} CHECK ({check})")


def _transaction_columns() -> list[sa.Column]:
    """What transactions gain, in this order; downgrade drops them in reverse."""
    return [
        sa.Column("approval_state", sa.String(10), nullable=False, server_default="approved"),
        sa.Column("submitted_at", ddl.TS),
        ddl.acted_by("first_approved_by"),
        sa.Column("paid_personally", sa.Boolean, nullable=False, server_default="false"),
        sa.Column("reimbursement_id", sa.BigInteger),
        sa.Column("reimbursed_at", sa.Date),
    ]


def upgrade() -> None:
    rls.create_tenant_table(
        "approval_policies",
        sa.Column("members_need_approval", sa.Boolean, nullable=False, server_default="true"),
        ddl.money("approval_amount", nullable=True),
        sa.Column(
            "always_category_ids",
            sa.ARRAY(sa.BigInteger),
            nullable=False,
            server_default=sa.text("'{}'"),
        ),
        ddl.money("accountant_limit", nullable=True),
        ddl.money("two_step_amount", nullable=True),
        ddl.money("receipt_amount", nullable=True),
        sa.Column("digest_days", sa.Integer, nullable=False, server_default="3"),
        ddl.acted_by("updated_by"),
        ddl.stamp("updated_at"),
        *(
            sa.CheckConstraint(f"{column} IS NULL OR {column} >= 0", name=name)
            for column, name in POLICY_AMOUNTS
        ),
        sa.CheckConstraint("digest_days BETWEEN 1 AND 90", name="digest_days_range"),
        sa.UniqueConstraint("org_id", name="uq_approval_policies_org"),
    )

    rls.create_tenant_table(
        "reimbursements",
        ddl.acted_by("user_id"),
        sa.Column("paid_on", sa.Date, nullable=False),
        sa.Column("method", sa.String(40), nullable=False),
        sa.Column("reference", sa.String(100), nullable=False, server_default=""),
        ddl.money("total"),
        ddl.currency(),
        ddl.created_by(),
        ddl.stamp(),
    )

    for column in _transaction_columns():
        op.add_column("transactions", column)
    op.execute(
        f"ALTER TABLE transactions ADD CONSTRAINT ck_transactions_approval_state_known CHECK ({STATES})"
    )
    op.create_foreign_key(
        "fk_reimbursement_id_reimbursements",
        "transactions",
        "reimbursements",
        ["org_id", "reimbursement_id"],
        ["org_id", "id"],
    )
    # The queue (oldest first) and "to reimburse" read only these few rows.
    op.execute(
        "CREATE INDEX ix_transactions_awaiting ON transactions (org_id, submitted_at, id) "
        "WHERE approval_state = 'submitted'"
    )
    op.execute(
        "CREATE INDEX ix_transactions_to_reimburse ON transactions (org_id, created_by) "
        "WHERE paid_personally AND reimbursement_id IS NULL"
    )

    rls.create_tenant_table(
        "receipts",
        sa.Column("transaction_id", sa.BigInteger, nullable=False),
        sa.Column("filename", sa.String(200), nullable=False),
        sa.Column("content_type", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("storage_key", sa.String(200), nullable=False),
        sa.Column("thumbnail_key", sa.String(200)),
        sa.Column("reading_status", sa.String(16), nullable=False, server_default="none"),
        sa.Column("reading", sa.dialects.postgresql.JSONB),
        ddl.acted_by("uploaded_by"),
        ddl.stamp(),
        sa.CheckConstraint("size > 0", name="size_positive"),
        rls.tenant_fk("transaction_id", "transactions", ondelete="CASCADE"),
    )
    rls.create_tenant_index("ix_receipts_transaction", "receipts", ["transaction_id"])
    _kinds(NEW_KINDS)


def downgrade() -> None:
    op.execute("DELETE FROM notifications WHERE kind = 'approval'")
    op.execute("DELETE FROM notification_preferences WHERE kind = 'approval'")
    _kinds(OLD_KINDS)
    op.drop_table("receipts")
    op.execute("DROP INDEX IF EXISTS ix_transactions_to_reimburse")
    op.execute("DROP INDEX IF EXISTS ix_transactions_awaiting")
    op.execute("ALTER TABLE transactions DROP CONSTRAINT fk_reimbursement_id_reimbursements")
    for column in reversed(_transaction_columns()):
        op.drop_column("transactions", column.name)
    op.drop_table("reimbursements")
    op.drop_table("approval_policies")
