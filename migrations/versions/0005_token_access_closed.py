"""outlay_token_access fails closed: for an org the token's user is not a member of, it says
nothing about the org (no id, name or currency), only that the token is live.
"""

from alembic import op

from tenants import ddl, rls

revision = "0005"  # created 2026-11-25
down_revision = "0004"


def upgrade() -> None:
    op.execute(
        ddl.token_access_sql(
            "JOIN",
            "o.slug = org_slug",
            "a live token, but not a member there (or no org asked for)",
            replace=True,
        )
    )
    op.execute(f"ALTER FUNCTION outlay_token_access(text, text) OWNER TO {rls.ADMIN_ROLE}")


def downgrade() -> None:
    pass  # the 0002 body answered the same to the app; nothing to restore
