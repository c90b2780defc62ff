"""The trash: a deleted transaction is kept (status `trashed`, with when and the status it had)
for OUTLAY_TRASH_DAYS, restorable by owners and accountants, then purged with its receipts.

`status = 'trashed'` is the marker, so every figure's rule (`app/queries/counted.py`: posted
and approved) already leaves it out; a check keeps the marker and the timestamp together.

Revision ID: 0011r
Revises: 0010
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0011r"
down_revision = "0010"
branch_labels = None
depends_on = None

CHECK = "ck_transactions_status_known"
OLD = "status IN ('posted', 'pending', 'rejected')"
NEW = "status IN ('posted', 'pending', 'rejected', 'trashed')"
TOGETHER = (
    "(status = 'trashed') = (trashed_at IS NOT NULL)"
    " AND (status = 'trashed') = (trashed_from IS NOT NULL)"
)


def upgrade() -> None:
    op.add_column("transactions", sa.Column("trashed_at", sa.DateTime(timezone=True)))
    op.add_column("transactions", sa.Column("trashed_from", sa.String(16)))
    op.execute(f"ALTER TABLE transactions DROP CONSTRAINT {CHECK}")
    op.execute(f"ALTER TABLE transactions ADD CONSTRAINT {CHECK} CHECK ({NEW})")
    op.execute(
        f"ALTER TABLE transactions ADD CONSTRAINT ck_transactions_trash_marked CHECK ({TOGETHER})"
    )
    # The trash page (newest first) and the purge (oldest first) read only trashed rows.
    op.execute(
        "CREATE INDEX ix_transactions_trashed ON transactions (org_id, trashed_at)"
        " WHERE status = 'trashed'"
    )


def downgrade() -> None:
    op.execute("DELETE FROM transactions WHERE status = 'trashed'")
    op.execute("DROP INDEX IF EXISTS ix_transactions_trashed")
    op.execute("ALTER TABLE transactions DROP CONSTRAINT ck_transactions_trash_marked")
    op.execute(f"ALTER TABLE transactions DROP CONSTRAINT {CHECK}")
    op.execute(f"ALTER TABLE transactions ADD CONSTRAINT {CHECK} CHECK ({OLD})")
    op.drop_column("transactions", "trashed_from")
    op.drop_column("transactions", "trashed_at")
