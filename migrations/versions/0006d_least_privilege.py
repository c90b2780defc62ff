"""Least privilege for outlay_app on the global tables; org deletion through a grace period.

`outlay_app` gets only the verbs and columns the app uses on users, organisations, api_tokens
and Flask-Security's roles tables. It can no longer DELETE an organisation (whose foreign keys
cascade into every tenant table, and cascades ignore RLS) nor a user, nor change a key column,
so no cascade from a global table into tenant rows is within its reach. Writes to users and
api_tokens are limited by RLS to the row of the user in `app.user_id`. Deleting an org goes
through three SECURITY DEFINER functions: an owner schedules it (or cancels it), and a periodic
job purges only the orgs whose grace period has ended. See docs/tenancy.md.
"""

import sqlalchemy as sa
from alembic import op

from tenants import ddl, rls

revision = "0006d_least_privilege"  # created 2026-12-01
down_revision = "0005"

APP = rls.APP_ROLE
ADMIN = rls.ADMIN_ROLE
USER_EXPR = ddl.USER_EXPR


# The scheduled deletion, in this order on organisations; downgrade drops them in reverse.
DELETION_COLUMNS = (
    ("deletion_requested_at", ddl.TS),
    ("deletion_due_at", ddl.TS),
    ("deletion_requested_by", sa.Integer),
)


def upgrade() -> None:
    for name, type_ in DELETION_COLUMNS:
        op.add_column("organisations", sa.Column(name, type_))
    op.create_check_constraint(
        "deletion_scheduled_whole",
        "organisations",
        "(deletion_due_at IS NULL) = (deletion_requested_at IS NULL)",
    )
    _grants()
    _row_policies()
    _deletion_functions()
    _token_access_closes_with_the_org()


# The grants as they stood at this revision, written out: a later change to the constants in
# tenants/rls.py must not change what an old revision did (later revisions grant what they add).
USER_COLUMNS = (
    "email, name, password, fs_uniquifier, confirmed_at, last_login_at, current_login_at, "
    "last_login_ip, current_login_ip, login_count, tf_primary_method, tf_totp_secret, "
    "tf_phone_number, mf_recovery_codes, locale, default_org_id, update_datetime"
)
GRANTS = (
    "GRANT SELECT, INSERT ON users TO outlay_app",
    "GRANT SELECT, INSERT ON organisations TO outlay_app",
    "GRANT SELECT ON api_tokens TO outlay_app",
    "GRANT SELECT ON roles TO outlay_app",
    "GRANT SELECT ON roles_users TO outlay_app",
    f"GRANT UPDATE ({USER_COLUMNS}) ON users TO outlay_app",
    "GRANT UPDATE (name, base_currency) ON organisations TO outlay_app",
    "GRANT UPDATE (revoked_at) ON api_tokens TO outlay_app",
    "GRANT INSERT (user_id, name, prefix, digest, last_used_at, revoked_at) "
    "ON api_tokens TO outlay_app",
)


def _grants() -> None:
    for table in ("users", "organisations", "api_tokens", "roles", "roles_users"):
        op.execute(f"REVOKE ALL ON {table} FROM {APP}")
    for grant in GRANTS:
        op.execute(grant)
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


# Owner check: the caller (app.user_id) is an owner of the org (`target`). The functions run
# as outlay_admin (BYPASSRLS: the membership row is read whatever app.org_id says).
OWNER_ONLY = """\
          IF {unknown}NOT EXISTS (
            SELECT 1 FROM public.memberships m
            WHERE m.org_id = target AND m.user_id = {caller} AND m.role = 'owner'
          ) THEN
            RAISE EXCEPTION 'only an owner of the organisation may {action}'
              USING ERRCODE = '42501';
          END IF;"""


def _deletion_functions() -> None:
    # The grace period is the app's setting, but never less than a day: the runtime role
    # cannot skip it.
    owner_only = OWNER_ONLY.format(
        unknown="caller IS NULL OR ", caller="caller", action="delete it"
    )
    ddl.create_definer(
        "outlay_schedule_org_deletion(target bigint, grace interval)",
        "timestamptz",
        f"""
        DECLARE
          caller integer := {USER_EXPR};
          due timestamptz := now() + greatest(grace, interval '1 day');
        BEGIN
{owner_only}
          UPDATE public.organisations o
          SET deletion_requested_at = now(), deletion_due_at = due,
              deletion_requested_by = caller
          WHERE o.id = target AND o.deletion_due_at IS NULL;
          RETURN (SELECT o.deletion_due_at FROM public.organisations o WHERE o.id = target);
        END
        """,
        language="plpgsql",
        volatility="VOLATILE",
    )
    owner_only = OWNER_ONLY.format(unknown="", caller=USER_EXPR, action="cancel its deletion")
    ddl.create_definer(
        "outlay_cancel_org_deletion(target bigint)",
        "void",
        f"""
        BEGIN
{owner_only}
          UPDATE public.organisations o
          SET deletion_requested_at = NULL, deletion_due_at = NULL, deletion_requested_by = NULL
          WHERE o.id = target;
        END
        """,
        language="plpgsql",
        volatility="VOLATILE",
    )
    # The purge removes an org and, by its cascading foreign keys, every tenant row of it. It
    # runs as the schema owner (who owns the tables the cascade reaches) and deletes only orgs
    # an owner scheduled whose grace period is over, so calling it early does nothing.
    ddl.create_definer(
        "outlay_purge_due_orgs()",
        "TABLE (org_id bigint)",
        """
        DELETE FROM public.organisations o
        WHERE o.deletion_due_at IS NOT NULL AND o.deletion_due_at <= now()
        RETURNING o.id
        """,
        volatility="VOLATILE",
        owner=None,
    )


def _token_access_closes_with_the_org() -> None:
    """0005's body, and an org scheduled for deletion answers only to its owners' tokens."""
    op.execute(
        ddl.token_access_sql(
            "JOIN",
            "o.slug = org_slug AND (o.deletion_due_at IS NULL OR m.role = 'owner')",
            "a live token, but not a member there (or no org asked for)",
            replace=True,
        )
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
    for name, _type in reversed(DELETION_COLUMNS):
        op.drop_column("organisations", name)
