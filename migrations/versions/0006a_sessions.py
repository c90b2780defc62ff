"""Revocable sign-in sessions: one row per signed-in browser, checked on every request."""

import sqlalchemy as sa
from alembic import op

from tenants import ddl, rls

revision = "0006a_sessions"  # created 2026-12-01
down_revision = "0005"


def upgrade() -> None:
    op.create_table(
        "user_sessions",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        ddl.user_ref(),
        sa.Column("digest", sa.String(64), nullable=False, unique=True),
        ddl.stamp(),
        ddl.stamp("last_seen_at"),
        sa.Column("revoked_at", ddl.TS),
        sa.Column("user_agent", sa.String(255), nullable=False, server_default=""),
        sa.Column("ip", sa.String(64)),
    )
    op.create_index("ix_user_sessions_user_id", "user_sessions", ["user_id"])
    # The app signs in (INSERT), checks and lists (SELECT), touches and revokes (UPDATE of two
    # columns); it never deletes a row or rewrites whose session it is.
    op.execute(f"REVOKE ALL ON user_sessions FROM {rls.APP_ROLE}")
    op.execute(
        "GRANT SELECT, INSERT (user_id, digest, user_agent, ip, revoked_at), "
        f"UPDATE (last_seen_at, revoked_at) ON user_sessions TO {rls.APP_ROLE}"
    )
    op.execute(f"GRANT SELECT ON user_sessions TO {rls.ADMIN_ROLE}")


def downgrade() -> None:
    op.drop_table("user_sessions")
