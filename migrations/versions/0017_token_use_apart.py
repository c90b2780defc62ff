"""An API token's use is recorded in a transaction of its own, not in the request's.

`outlay_token_access` updated the token's `last_used_at` inside the request's transaction. A
GET rolls back, so the use was never recorded (the profile page never said "last used" for a
token that only reads), and every request of the token updated its row again and held that
row's lock until the request ended: two requests with one token ran one after the other.

Now the lookup only reads, and answers `last_used_at` besides; the app records the use with
`outlay_token_touch(digest)` in a short transaction of its own when the last record is older
than five minutes (`app.services.accounts.api_tokens`), as it does for browser sessions. The
return type changes, so the lookup is dropped and created again with the same owner and grants.
"""

from alembic import op

from tenants import ddl

revision = "0017"  # created 2026-12-02
down_revision = "0016"

TOUCH = "outlay_token_touch(token_digest text)"
USED = (", last_used_at timestamptz", ", token_used", ", token_used")


def _create(touch: bool) -> None:
    op.execute(f"DROP FUNCTION IF EXISTS {ddl.argument_types(ddl.ACCESS_FUNCTION)}")
    extra = ddl.TOKEN_SEAT_COLUMNS
    if not touch:
        extra = tuple(seat + used for seat, used in zip(extra, USED, strict=True))
    op.execute(
        ddl.token_access_sql(
            "JOIN",
            "o.slug = org_slug AND (o.deletion_due_at IS NULL OR m.role = 'owner')",
            "a live token, but not a member there (or no org asked for)",
            extra=extra,
            touch=touch,
        )
    )
    ddl.grant_definer(ddl.ACCESS_FUNCTION)


def upgrade() -> None:
    _create(touch=False)
    # A live token only, and only its own row; the caller needs no tenant (like
    # outlay_session_touch): knowing the digest is knowing the token.
    ddl.create_definer(
        TOUCH,
        "void",
        """
        UPDATE public.api_tokens SET last_used_at = now()
        WHERE digest = token_digest AND revoked_at IS NULL
        """,
        volatility="VOLATILE",
    )


def downgrade() -> None:
    op.execute(f"DROP FUNCTION IF EXISTS {ddl.argument_types(TOUCH)}")
    _create(touch=True)
