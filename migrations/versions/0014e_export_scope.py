"""Exports remember whose items their file holds: `own_items_only` is set when the job writes
the file, so a link stops working for someone whose role has narrowed to their own items since
(an accountant made a member cannot fetch the whole list they exported before)."""

import sqlalchemy as sa
from alembic import op

revision = "0014e"  # created 2026-12-01
down_revision = "0013"


def upgrade() -> None:
    # Files written before this migration: assume the wider scope (a member's link then stops
    # working; they export again), never the narrower one.
    op.add_column(
        "exports",
        sa.Column("own_items_only", sa.Boolean, nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    op.drop_column("exports", "own_items_only")
