"""outlay_token_access also answers the org's slug and time zone: with them, one statement
gives everything an API request's Seat is built from (org, slug, base currency, time zone,
user, role), and the app sets the tenant in that same statement (`tenants.context.enter`).

The return type changes, so the function is dropped and created again, with the same owner
(outlay_admin) and grants (EXECUTE for outlay_app only). Its answers are otherwise 0006d's.
"""

from alembic import op

from tenants import ddl

revision = "0009t"  # created 2026-12-02
down_revision = "0008"


def _create(extra: tuple[str, str, str]) -> None:
    op.execute(f"DROP FUNCTION IF EXISTS {ddl.argument_types(ddl.ACCESS_FUNCTION)}")
    op.execute(
        ddl.token_access_sql(
            "JOIN",
            "o.slug = org_slug AND (o.deletion_due_at IS NULL OR m.role = 'owner')",
            "a live token, but not a member there (or no org asked for)",
            extra=extra,
        )
    )
    ddl.grant_definer(ddl.ACCESS_FUNCTION)


def upgrade() -> None:
    _create(ddl.TOKEN_SEAT_COLUMNS)


def downgrade() -> None:
    _create(("", "", ""))
