"""Expense approvals: a policy per org, each transaction's approval state, reimbursements and
receipts.

Every existing transaction is `approved` (the column's default): what was posted before counts
as it did. Transactions gain who took the first of two approval steps, when they were
submitted, whether they were paid personally and, once paid back, their reimbursement.

Revision ID: 0009ap
Revises: 0008
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

from tenants import rls

revision = "0009ap"
down_revision = "0008"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
MONEY = sa.Numeric(19, 4)
STATES = "approval_state IN ('draft', 'submitted', 'approved', 'rejected', 'returned')"
USER_FK = {"ondelete": "SET NULL"}
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


def upgrade() -> None:
    rls.create_tenant_table(
        "approval_policies",
        sa.Column("members_need_approval", sa.Boolean, nullable=False, server_default="true"),
        sa.Column("approval_amount", MONEY),
        sa.Column(
            "always_category_ids",
            sa.ARRAY(sa.BigInteger),
            nullable=False,
            server_default=sa.text("'{}'"),
        ),
        sa.Column("accountant_limit", MONEY),
        sa.Column("two_step_amount", MONEY),
        sa.Column("receipt_amount", MONEY),
        sa.Column("digest_days", sa.Integer, nullable=False, server_default="3"),
        sa.Column("updated_by", sa.Integer, sa.ForeignKey("users.id", **USER_FK)),
        sa.Column("updated_at", TS, nullable=False, server_default=sa.func.now()),
        sa.CheckConstraint("approval_amount IS NULL OR approval_amount >= 0", name="amount_ok"),
        sa.CheckConstraint("accountant_limit IS NULL OR accountant_limit >= 0", name="limit_ok"),
        sa.CheckConstraint("two_step_amount IS NULL OR two_step_amount >= 0", name="two_ok"),
        sa.CheckConstraint("receipt_amount IS NULL OR receipt_amount >= 0", name="receipt_ok"),
        sa.CheckConstraint("digest_days BETWEEN 1 AND 90", name="digest_days_range"),
        sa.UniqueConstraint("org_id", name="uq_approval_policies_org"),
    )

    rls.create_tenant_table(
        "reimbursements",
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", **USER_FK)),
        sa.Column("paid_on", sa.Date, nullable=False),
        sa.Column("method", sa.String(40), nullable=False),
        sa.Column("reference", sa.String(100), nullable=False, server_default=""),
        sa.Column("total", MONEY, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("created_by", sa.Integer, sa.ForeignKey("users.id", **USER_FK)),
        sa.Column("created_at", TS, nullable=False, server_default=sa.func.now()),
    )

    op.add_column(
        "transactions",
        sa.Column("approval_state", sa.String(10), nullable=False, server_default="approved"),
    )
    op.execute(
        f"ALTER TABLE transactions ADD CONSTRAINT ck_transactions_approval_state_known CHECK ({STATES})"
    )
    op.add_column("transactions", sa.Column("submitted_at", TS))
    op.add_column(
        "transactions",
        sa.Column("first_approved_by", sa.Integer, sa.ForeignKey("users.id", **USER_FK)),
    )
    op.add_column(
        "transactions",
        sa.Column("paid_personally", sa.Boolean, nullable=False, server_default="false"),
    )
    op.add_column("transactions", sa.Column("reimbursement_id", sa.BigInteger))
    op.add_column("transactions", sa.Column("reimbursed_at", sa.Date))
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
        sa.Column("uploaded_by", sa.Integer, sa.ForeignKey("users.id", **USER_FK)),
        sa.Column("created_at", TS, nullable=False, server_default=sa.func.now()),
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
    for column in (
        "reimbursed_at",
        "reimbursement_id",
        "paid_personally",
        "first_approved_by",
        "submitted_at",
        "approval_state",
    ):
        op.drop_column("transactions", column)
    op.drop_table("reimbursements")
    op.drop_table("approval_policies")
