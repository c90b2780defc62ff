"""Join the branches that budgets, recurring rules and multi-currency grew side by side.

Revision ID: 0004
Revises: 0003b, 0003r, 0003c
Create Date: 2026-11-25
"""

revision = "0004"
down_revision = ("0003b", "0003r", "0003c")


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
