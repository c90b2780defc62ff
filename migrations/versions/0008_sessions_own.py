"""Sign-in sessions are a user's own rows: RLS on user_sessions, and the one lookup that runs
before anyone is known (the cookie's key digest) goes through a SECURITY DEFINER function.

Without this, the runtime role could read every user's browsers and addresses, end anyone's
session, or insert a session row for another user (a login). Now a row is read, written and
created only as its own user (`app.user_id`), like api_tokens; opening a session by its digest
is `outlay_session_open`, which answers only for a live, unexpired session whose user is active
and whose cookie names that user's current fs_uniquifier (the digest is the credential).
"""

from alembic import op

from tenants import ddl

revision = "0008"  # created 2026-12-01
down_revision = "0007"

ADMIN = "outlay_admin"
USER_EXPR = ddl.USER_EXPR
SIGNATURES = ("outlay_session_open(text, text, interval)", "outlay_session_touch(text)")


def upgrade() -> None:
    op.execute("ALTER TABLE user_sessions ENABLE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY user_sessions_own ON user_sessions USING (user_id = {USER_EXPR}) "
        f"WITH CHECK (user_id = {USER_EXPR})"
    )
    ddl.create_definer(
        "outlay_session_open(key_digest text, uniquifier text, max_idle interval)",
        "TABLE (user_id integer, session_id bigint, last_seen_at timestamptz)",
        """
        SELECT s.user_id, s.id, s.last_seen_at
        FROM public.user_sessions s JOIN public.users u ON u.id = s.user_id
        WHERE s.digest = key_digest AND s.revoked_at IS NULL
          AND s.last_seen_at > now() - max_idle
          AND u.fs_uniquifier = uniquifier AND u.active
        """,
    )
    # Touching a live session needs no caller: it only moves last_seen_at to now.
    ddl.create_definer(
        "outlay_session_touch(key_digest text)",
        "void",
        """
        UPDATE public.user_sessions SET last_seen_at = now()
        WHERE digest = key_digest AND revoked_at IS NULL
        """,
        volatility="VOLATILE",
    )
    # The functions run as outlay_admin (BYPASSRLS), which may read and touch the rows.
    op.execute(f"GRANT UPDATE (last_seen_at) ON user_sessions TO {ADMIN}")


def downgrade() -> None:
    for signature in SIGNATURES:
        op.execute(f"DROP FUNCTION IF EXISTS {signature}")
    op.execute("DROP POLICY IF EXISTS user_sessions_own ON user_sessions")
    op.execute("ALTER TABLE user_sessions DISABLE ROW LEVEL SECURITY")
