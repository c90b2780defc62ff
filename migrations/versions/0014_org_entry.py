"""Entering an org from a web page in one statement: `outlay_org_entry(slug, user)` answers the
org the slug names and the user's role there, and the app sets the tenant in that same
statement (`tenants.context.enter_signed_in`), as the API does with `outlay_token_access`.

A page of an org used to send three statements first (the org by slug, the tenant's settings,
the membership, which RLS keeps to the org already set). The function runs as outlay_admin
(memberships are RLS-scoped, so before the org is set only a definer can join them) and admits
exactly what `enter_org` admitted: a member of the org, and while the org is scheduled for
deletion its owners only. Anyone else gets one row with a NULL org (the org's columns NULL too,
so nothing about it is disclosed beyond `closing`, true only for a member of a closing org).
The user is the signed-in user the session loader already checked; the app may name any user
in `app.user_id` anyway, so the parameter trusts it no further than RLS does.
"""

from alembic import op

from tenants import ddl

revision = "0014"  # created 2026-12-01
down_revision = "0013"

SIGNATURE = "outlay_org_entry(org_slug text, entering_user integer)"


def upgrade() -> None:
    ddl.create_definer(
        SIGNATURE,
        "TABLE (user_id integer, org_id bigint, role text, closing boolean, name text, "
        "slug text, base_currency text, time_zone text, fiscal_year_start smallint, "
        "created_at timestamptz, deletion_requested_at timestamptz, "
        "deletion_due_at timestamptz, deletion_requested_by integer)",
        """
        SELECT entering_user, a.id, a.role, coalesce(a.closing, false), a.name, a.slug,
               a.base_currency, a.time_zone, a.fiscal_year_start, a.created_at,
               a.deletion_requested_at, a.deletion_due_at, a.deletion_requested_by
        FROM (SELECT 1) AS one
        LEFT JOIN (
          SELECT CASE WHEN admitted THEN o.id END AS id, CASE WHEN admitted THEN m.role END AS role,
                 NOT admitted AS closing,
                 CASE WHEN admitted THEN o.name::text END AS name,
                 CASE WHEN admitted THEN o.slug::text END AS slug,
                 CASE WHEN admitted THEN o.base_currency::text END AS base_currency,
                 CASE WHEN admitted THEN o.time_zone::text END AS time_zone,
                 CASE WHEN admitted THEN o.fiscal_year_start END AS fiscal_year_start,
                 CASE WHEN admitted THEN o.created_at END AS created_at,
                 CASE WHEN admitted THEN o.deletion_requested_at END AS deletion_requested_at,
                 CASE WHEN admitted THEN o.deletion_due_at END AS deletion_due_at,
                 CASE WHEN admitted THEN o.deletion_requested_by END AS deletion_requested_by
          FROM public.organisations o
          JOIN public.memberships m ON m.org_id = o.id AND m.user_id = entering_user
          CROSS JOIN LATERAL (
            SELECT o.deletion_due_at IS NULL OR m.role = 'owner' AS admitted
          ) AS rule
          WHERE o.slug = org_slug
        ) AS a ON true
        """,
    )


def downgrade() -> None:
    op.execute(f"DROP FUNCTION IF EXISTS {ddl.argument_types(SIGNATURE)}")
