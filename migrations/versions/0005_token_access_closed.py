"""outlay_token_access fails closed: for an org the token's user is not a member of, it says
nothing about the org (no id, name or currency), only that the token is live.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from alembic import op

from tenants import rls

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE OR REPLACE FUNCTION outlay_token_access(token_digest text, org_slug text)
        RETURNS TABLE (user_id integer, org_id bigint, org_name text, base_currency text,
                       role text)
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
            SELECT token_user, o.id, o.name::text, o.base_currency::text, m.role::text
            FROM public.organisations o
            JOIN public.memberships m ON m.org_id = o.id AND m.user_id = token_user
            WHERE o.slug = org_slug;
          IF NOT FOUND THEN  -- a live token, but not a member there (or no org asked for)
            RETURN QUERY SELECT token_user, NULL::bigint, NULL::text, NULL::text, NULL::text;
          END IF;
        END
        $$
        """
    )
    op.execute(f"ALTER FUNCTION outlay_token_access(text, text) OWNER TO {rls.ADMIN_ROLE}")


def downgrade() -> None:
    pass  # the 0002 body answered the same to the app; nothing to restore
