"""outlay_token_access also answers the org's slug and time zone: with them, one statement
gives everything an API request's Seat is built from (org, slug, base currency, time zone,
user, role), and the app sets the tenant in that same statement (`tenants.context.enter`).

The return type changes, so the function is dropped and created again, with the same owner
(outlay_admin) and grants (EXECUTE for outlay_app only). Its answers are otherwise 0006d's.

Revision ID: 0009t
Revises: 0008
Create Date: 2026-12-02
"""

from alembic import op

from tenants import rls

revision = "0009t"
down_revision = "0008"
branch_labels = None
depends_on = None

SIGNATURE = "outlay_token_access(text, text)"
BODY = """
        CREATE FUNCTION outlay_token_access(token_digest text, org_slug text)
        RETURNS TABLE (user_id integer, org_id bigint, org_name text, base_currency text,
                       role text{extra})
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER
        SET search_path = pg_catalog, public
        AS $$
        DECLARE
          token_user integer;
        BEGIN
          UPDATE public.api_tokens t SET last_used_at = now()
          WHERE t.digest = token_digest AND t.revoked_at IS NULL
            AND (t.last_used_at IS NULL OR t.last_used_at < now() - interval '5 minutes');
          SELECT t.user_id INTO token_user FROM public.api_tokens t
          JOIN public.users u ON u.id = t.user_id AND u.active
          WHERE t.digest = token_digest AND t.revoked_at IS NULL;
          IF token_user IS NULL THEN
            RETURN;
          END IF;
          RETURN QUERY
            SELECT token_user, o.id, o.name::text, o.base_currency::text, m.role::text{columns}
            FROM public.organisations o
            JOIN public.memberships m ON m.org_id = o.id AND m.user_id = token_user
            WHERE o.slug = org_slug AND (o.deletion_due_at IS NULL OR m.role = 'owner');
          IF NOT FOUND THEN  -- a live token, but not a member there (or no org asked for)
            RETURN QUERY SELECT token_user, NULL::bigint, NULL::text, NULL::text, NULL::text{nulls};
          END IF;
        END
        $$
"""


def _create(extra: str, columns: str, nulls: str) -> None:
    op.execute(f"DROP FUNCTION IF EXISTS {SIGNATURE}")
    op.execute(BODY.format(extra=extra, columns=columns, nulls=nulls))
    op.execute(f"ALTER FUNCTION {SIGNATURE} OWNER TO {rls.ADMIN_ROLE}")
    op.execute(f"REVOKE ALL ON FUNCTION {SIGNATURE} FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION {SIGNATURE} TO {rls.APP_ROLE}")


def upgrade() -> None:
    _create(
        ", slug text, time_zone text",
        ", o.slug::text, o.time_zone::text",
        ", NULL::text, NULL::text",
    )


def downgrade() -> None:
    _create("", "", "")
