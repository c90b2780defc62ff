"""Least privilege for outlay_app on the global tables; org deletion through a grace period.

`outlay_app` gets only the verbs and columns the app uses on users, organisations, api_tokens
and Flask-Security's roles tables. It can no longer DELETE an organisation (whose foreign keys
cascade into every tenant table, and cascades ignore RLS) nor a user, nor change a key column,
so no cascade from a global table into tenant rows is within its reach. Writes to users and
api_tokens are limited by RLS to the row of the user in `app.user_id`. Deleting an org goes
through three SECURITY DEFINER functions: an owner schedules it (or cancels it), and a periodic
job purges only the orgs whose grace period has ended. See docs/tenancy.md.

Revision ID: 0006d_least_privilege
Revises: 0005
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

from tenants import rls

revision = "0006d_least_privilege"
down_revision = "0005"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
APP = rls.APP_ROLE
ADMIN = rls.ADMIN_ROLE
USER_EXPR = "NULLIF(current_setting('app.user_id', true), '')::integer"


def upgrade() -> None:
    op.add_column("organisations", sa.Column("deletion_requested_at", TS))
    op.add_column("organisations", sa.Column("deletion_due_at", TS))
    op.add_column("organisations", sa.Column("deletion_requested_by", sa.Integer))
    op.create_check_constraint(
        "deletion_scheduled_whole",
        "organisations",
        "(deletion_due_at IS NULL) = (deletion_requested_at IS NULL)",
    )
    _grants()
    _row_policies()
    _deletion_functions()
    _token_access_closes_with_the_org()


# The grants as they stood at this revision, frozen here: a later change to the constants in
# tenants/rls.py must not change what an old revision did.
GRANTS: dict[str, str] = {
    "users": "SELECT, INSERT",
    "organisations": "SELECT, INSERT",
    "api_tokens": "SELECT",
    "roles": "SELECT",
    "roles_users": "SELECT",
}
INSERT_COLUMNS: dict[str, tuple[str, ...]] = {
    "api_tokens": ("user_id", "name", "prefix", "digest", "last_used_at", "revoked_at"),
}
UPDATE_COLUMNS: dict[str, tuple[str, ...]] = {
    "users": (
        "email", "name", "password", "fs_uniquifier", "confirmed_at",
        "last_login_at", "current_login_at", "last_login_ip", "current_login_ip", "login_count",
        "tf_primary_method", "tf_totp_secret", "tf_phone_number", "mf_recovery_codes",
        "locale", "default_org_id", "update_datetime",
    ),
    "organisations": ("name", "base_currency"),
    "api_tokens": ("revoked_at",),
}  # fmt: skip


def _grants() -> None:
    for table, verbs in GRANTS.items():
        op.execute(f"REVOKE ALL ON {table} FROM {APP}")
        if verbs:
            op.execute(f"GRANT {verbs} ON {table} TO {APP}")
    # The columns as they stood at this revision (later revisions grant what they add).
    for table, columns in UPDATE_COLUMNS.items():
        op.execute(f"GRANT UPDATE ({', '.join(columns)}) ON {table} TO {APP}")
    for table, columns in INSERT_COLUMNS.items():
        op.execute(f"GRANT INSERT ({', '.join(columns)}) ON {table} TO {APP}")
    # The deletion functions below run as outlay_admin and write only these columns.
    op.execute(
        "GRANT UPDATE (deletion_requested_at, deletion_due_at, deletion_requested_by) "
        f"ON organisations TO {ADMIN}"
    )


def _row_policies() -> None:
    # users: anyone may read (login, member lists) and register; a row changes only as its own
    # user. Not FORCEd: the migration owner and the BYPASSRLS admin role are not the app.
    op.execute("ALTER TABLE users ENABLE ROW LEVEL SECURITY")
    op.execute("CREATE POLICY users_read ON users FOR SELECT USING (true)")
    op.execute("CREATE POLICY users_register ON users FOR INSERT WITH CHECK (true)")
    op.execute(
        f"CREATE POLICY users_self ON users FOR UPDATE USING (id = {USER_EXPR}) "
        f"WITH CHECK (id = {USER_EXPR})"
    )
    # api_tokens: a user sees, creates and revokes only their own (outlay_token_access, which
    # resolves a bearer token before any user is known, runs as the BYPASSRLS role).
    op.execute("ALTER TABLE api_tokens ENABLE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY api_tokens_own ON api_tokens USING (user_id = {USER_EXPR}) "
        f"WITH CHECK (user_id = {USER_EXPR})"
    )
    # organisations: readable (a URL resolves before the tenant is known), creatable (sign-up),
    # and its settings change only inside that org, by one of its owners.
    op.execute("ALTER TABLE organisations ENABLE ROW LEVEL SECURITY")
    op.execute("CREATE POLICY organisations_read ON organisations FOR SELECT USING (true)")
    op.execute("CREATE POLICY organisations_create ON organisations FOR INSERT WITH CHECK (true)")
    owner_here = (
        "id = NULLIF(current_setting('app.org_id', true), '')::bigint AND EXISTS ("
        "SELECT 1 FROM memberships m WHERE m.org_id = organisations.id "
        "AND m.user_id = CALLER AND m.role = 'owner')"
    ).replace("CALLER", USER_EXPR)
    op.execute(
        f"CREATE POLICY organisations_owner ON organisations FOR UPDATE USING ({owner_here}) "
        f"WITH CHECK ({owner_here})"
    )


def _definer(signature: str, owner: str | None) -> None:
    if owner:
        op.execute(f"ALTER FUNCTION {signature} OWNER TO {owner}")
    op.execute(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION {signature} TO {APP}")


def _deletion_functions() -> None:
    # Owner check: the caller (app.user_id) is an owner of the org. Runs as outlay_admin
    # (BYPASSRLS: the membership row is read whatever app.org_id says). The grace period is
    # the app's setting, but never less than a day: the runtime role cannot skip it.
    op.execute(
        """
        CREATE FUNCTION outlay_schedule_org_deletion(target bigint, grace interval)
        RETURNS timestamptz
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER
        SET search_path = pg_catalog, public
        AS $$
        DECLARE
          caller integer := CALLER;
          due timestamptz := now() + greatest(grace, interval '1 day');
        BEGIN
          IF caller IS NULL OR NOT EXISTS (
            SELECT 1 FROM public.memberships m
            WHERE m.org_id = target AND m.user_id = caller AND m.role = 'owner'
          ) THEN
            RAISE EXCEPTION 'only an owner of the organisation may delete it'
              USING ERRCODE = '42501';
          END IF;
          UPDATE public.organisations o
          SET deletion_requested_at = now(), deletion_due_at = due,
              deletion_requested_by = caller
          WHERE o.id = target AND o.deletion_due_at IS NULL;
          RETURN (SELECT o.deletion_due_at FROM public.organisations o WHERE o.id = target);
        END
        $$
        """.replace("CALLER", USER_EXPR)
    )
    _definer("outlay_schedule_org_deletion(bigint, interval)", ADMIN)
    op.execute(
        """
        CREATE FUNCTION outlay_cancel_org_deletion(target bigint)
        RETURNS void
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER
        SET search_path = pg_catalog, public
        AS $$
        BEGIN
          IF NOT EXISTS (
            SELECT 1 FROM public.memberships m
            WHERE m.org_id = target AND m.user_id = CALLER AND m.role = 'owner'
          ) THEN
            RAISE EXCEPTION 'only an owner of the organisation may cancel its deletion'
              USING ERRCODE = '42501';
          END IF;
          UPDATE public.organisations o
          SET deletion_requested_at = NULL, deletion_due_at = NULL, deletion_requested_by = NULL
          WHERE o.id = target;
        END
        $$
        """.replace("CALLER", USER_EXPR)
    )
    _definer("outlay_cancel_org_deletion(bigint)", ADMIN)
    # The purge removes an org and, by its cascading foreign keys, every tenant row of it. It
    # runs as the schema owner (who owns the tables the cascade reaches) and deletes only orgs
    # an owner scheduled whose grace period is over, so calling it early does nothing.
    op.execute(
        """
        CREATE FUNCTION outlay_purge_due_orgs()
        RETURNS TABLE (org_id bigint)
        LANGUAGE sql VOLATILE SECURITY DEFINER
        SET search_path = pg_catalog, public
        AS $$
          DELETE FROM public.organisations o
          WHERE o.deletion_due_at IS NOT NULL AND o.deletion_due_at <= now()
          RETURNING o.id
        $$
        """
    )
    _definer("outlay_purge_due_orgs()", None)


def _token_access_closes_with_the_org() -> None:
    """0005's body, and an org scheduled for deletion answers only to its owners' tokens."""
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
            WHERE o.slug = org_slug AND (o.deletion_due_at IS NULL OR m.role = 'owner');
          IF NOT FOUND THEN  -- a live token, but not a member there (or no org asked for)
            RETURN QUERY SELECT token_user, NULL::bigint, NULL::text, NULL::text, NULL::text;
          END IF;
        END
        $$
        """
    )


def downgrade() -> None:
    for signature in (
        "outlay_purge_due_orgs()",
        "outlay_cancel_org_deletion(bigint)",
        "outlay_schedule_org_deletion(bigint, interval)",
    ):
        op.execute(f"DROP FUNCTION IF EXISTS {signature}")
    for policy, table in (
        ("users_read", "users"),
        ("users_register", "users"),
        ("users_self", "users"),
        ("api_tokens_own", "api_tokens"),
        ("organisations_read", "organisations"),
        ("organisations_create", "organisations"),
        ("organisations_owner", "organisations"),
    ):
        op.execute(f"DROP POLICY IF EXISTS {policy} ON {table}")
    for table in ("users", "api_tokens", "organisations"):
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
        rls.grant_runtime(table)
    for table in ("roles", "roles_users"):
        rls.grant_runtime(table)
    op.drop_constraint("deletion_scheduled_whole", "organisations")
    for column in ("deletion_requested_by", "deletion_due_at", "deletion_requested_at"):
        op.drop_column("organisations", column)
