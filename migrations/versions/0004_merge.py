"""Join the branches that budgets, recurring rules and multi-currency grew side by side."""

revision = "0004"  # created 2026-11-25
down_revision = ("0003b", "0003r", "0003c")


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
