"""Join the branches of the hardening and onboarding work; the settings page may change an
org's time zone (the least-privilege grants predate the column).
"""

from alembic import op

revision = "0007"  # created 2026-12-01
down_revision = ("0006a_sessions", "0006d_least_privilege", "0006i_budget_unique", "0006o")


def upgrade() -> None:
    op.execute("GRANT UPDATE (time_zone) ON organisations TO outlay_app")


def downgrade() -> None:
    op.execute("REVOKE UPDATE (time_zone) ON organisations FROM outlay_app")
