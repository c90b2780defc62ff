"""outlay_app can do on the global tables only what the app does (docs/tenancy.md).

The catalog tests pin the grants, the row policies and the SECURITY DEFINER functions; the
behaviour tests connect as `outlay_app` and try what an attacker with the runtime role's
connection would: delete another org (and its data by cascade), rewrite another user's secrets,
mint a token for another user.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from tenants import rls

GLOBAL = ("users", "organisations", "api_tokens", "roles", "roles_users")
USER_EXPR = "(NULLIF(current_setting('app.user_id'::text, true), ''::text))::integer"


def _table_verbs(conn, table: str) -> set[str]:
    return set(
        conn.execute(
            text(
                "SELECT privilege_type FROM information_schema.role_table_grants "
                "WHERE grantee = 'outlay_app' AND table_name = :t"
            ),
            {"t": table},
        ).scalars()
    )


def _columns(conn, table: str, verb: str) -> set[str]:
    return set(
        conn.execute(
            text(
                "SELECT column_name FROM information_schema.column_privileges "
                "WHERE grantee = 'outlay_app' AND table_name = :t AND privilege_type = :v"
            ),
            {"t": table, "v": verb},
        ).scalars()
    )


def _all_columns(conn, table: str) -> set[str]:
    return set(
        conn.execute(
            text("SELECT column_name FROM information_schema.columns WHERE table_name = :t"),
            {"t": table},
        ).scalars()
    )


def test_global_table_grants_are_pinned(owner_engine):
    with owner_engine.connect() as conn:
        verbs = {table: _table_verbs(conn, table) for table in GLOBAL}
        assert verbs == {
            "users": {"SELECT", "INSERT"},
            "organisations": {"SELECT", "INSERT"},
            "api_tokens": {"SELECT"},
            "roles": {"SELECT"},
            "roles_users": {"SELECT"},
        }
        assert _columns(conn, "users", "UPDATE") == set(rls.GLOBAL_UPDATE_COLUMNS["users"])
        assert {"id", "active", "create_datetime", "us_totp_secrets"}.isdisjoint(
            _columns(conn, "users", "UPDATE")
        )
        assert _columns(conn, "organisations", "UPDATE") == {
            "name",
            "base_currency",
            "time_zone",
            "fiscal_year_start",
        }
        assert _columns(conn, "api_tokens", "UPDATE") == {"revoked_at"}
        assert _columns(conn, "api_tokens", "INSERT") == {
            "user_id",
            "name",
            "prefix",
            "digest",
            "last_used_at",
            "revoked_at",
        }
        for table in GLOBAL:
            assert _columns(conn, table, "DELETE") == set(), table


def test_no_cascade_from_a_global_table_is_in_the_runtime_roles_reach(owner_engine):
    """Every FK from a table into a global one that acts on delete or update (CASCADE, SET
    NULL, SET DEFAULT) is harmless only if outlay_app can neither delete the referenced row
    nor change its key: checked for every such FK in the schema, present and future."""
    with owner_engine.connect() as conn:
        acting = conn.execute(
            text(
                "SELECT c.conname, c.conrelid::regclass::text, c.confrelid::regclass::text, "
                "  c.confdeltype, c.confupdtype, "
                "  (SELECT array_agg(a.attname) FROM unnest(c.confkey) k(n) "
                "   JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n) "
                "FROM pg_constraint c WHERE c.contype = 'f' "
                "AND (c.confdeltype IN ('c', 'n', 'd') OR c.confupdtype IN ('c', 'n', 'd'))"
            )
        ).all()
        tenant = set(
            conn.execute(
                text(
                    "SELECT table_name FROM information_schema.columns "
                    "WHERE column_name = 'org_id' AND table_schema = 'public'"
                )
            ).scalars()
        )
        problems = []
        for name, source, target, on_delete, _on_update, keys in acting:
            if target in tenant:
                continue  # tenant to tenant: the same org by construction
            if (
                on_delete in "cnd"
                and conn.execute(
                    text("SELECT has_table_privilege('outlay_app', :t, 'DELETE')"), {"t": target}
                ).scalar()
            ):
                problems.append(f"{source}.{name}: outlay_app may DELETE FROM {target}")
            for key in keys:
                if conn.execute(
                    text("SELECT has_column_privilege('outlay_app', :t, :c, 'UPDATE')"),
                    {"t": target, "c": key},
                ).scalar():
                    problems.append(f"{source}.{name}: outlay_app may UPDATE {target}.{key}")
        assert acting, "the schema has cascading keys from organisations and users"
        assert problems == []


def test_row_policies_on_global_tables_are_pinned(owner_engine):
    with owner_engine.connect() as conn:
        policies = {
            (table, name): (cmd, qual or "", check or "")
            for table, name, cmd, qual, check in conn.execute(
                text(
                    "SELECT tablename, policyname, cmd, qual, with_check FROM pg_policies "
                    "WHERE tablename IN ('users', 'api_tokens', 'organisations')"
                )
            )
        }
        enabled = dict(
            conn.execute(
                text(
                    "SELECT relname, relrowsecurity FROM pg_class "
                    "WHERE relname IN ('users', 'api_tokens', 'organisations')"
                )
            ).all()
        )
    assert enabled == {"users": True, "api_tokens": True, "organisations": True}
    assert set(policies) == {
        ("users", "users_read"),
        ("users", "users_register"),
        ("users", "users_self"),
        ("api_tokens", "api_tokens_own"),
        ("organisations", "organisations_read"),
        ("organisations", "organisations_create"),
        ("organisations", "organisations_owner"),
    }
    cmd, qual, check = policies[("users", "users_self")]
    assert cmd == "UPDATE" and f"(id = {USER_EXPR}" in qual and f"(id = {USER_EXPR}" in check
    cmd, qual, check = policies[("api_tokens", "api_tokens_own")]
    assert cmd == "ALL" and f"(user_id = {USER_EXPR}" in qual and "user_id =" in check
    cmd, qual, check = policies[("organisations", "organisations_owner")]
    assert cmd == "UPDATE" and "'owner'" in qual and "app.org_id" in qual and "'owner'" in check


def test_security_definer_functions_are_pinned(owner_engine):
    with owner_engine.connect() as conn:
        functions = dict(
            conn.execute(
                text(
                    "SELECT p.proname, pg_get_userbyid(p.proowner) FROM pg_proc p "
                    "JOIN pg_namespace n ON n.oid = p.pronamespace "
                    "WHERE n.nspname = 'public' AND p.prosecdef "
                    "AND has_function_privilege('outlay_app', p.oid, 'EXECUTE')"
                )
            ).all()
        )
        public_exec = conn.execute(
            text(
                "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                "WHERE n.nspname = 'public' AND p.prosecdef AND EXISTS ("
                "  SELECT 1 FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a "
                "  WHERE a.grantee = 0)"
            )
        ).all()
    assert public_exec == []
    assert {name for name, owner in functions.items() if owner == "outlay_admin"} >= {
        "outlay_my_memberships",
        "outlay_token_access",
        "outlay_recurring_orgs",
        "outlay_schedule_org_deletion",
        "outlay_cancel_org_deletion",
    }
    assert "outlay_purge_due_orgs" in functions


# Behaviour, as the runtime role.


@pytest.fixture(scope="module")
def victims(app):
    """Org B with a transaction; user B (its owner) with a token; user A, another org's owner."""
    from tests.support.factories import Factory, unique

    make = Factory(app)
    a, b = make.user(), make.user()
    org_a = make.org(a, unique("Grant A "))
    org_b = make.org(b, unique("Grant B "))
    make.transaction(org_b, b, amount="99.00", description="B's rent")
    return {"a": a, "b": b, "org_a": org_a, "org_b": org_b}


def _as_user(conn, user_id, org_id=None):
    conn.execute(
        text("SELECT set_config('app.user_id', :u, true), set_config('app.org_id', :o, true)"),
        {"u": str(user_id or ""), "o": str(org_id or "")},
    )


def _transactions_of(owner_engine, org_id) -> int:
    with owner_engine.connect() as conn:
        return conn.execute(
            text("SELECT count(*) FROM transactions WHERE org_id = :o"), {"o": org_id}
        ).scalar()


def test_runtime_role_cannot_delete_an_org_or_cascade_into_its_data(
    app_engine, owner_engine, victims
):
    org_b = victims["org_b"]
    assert _transactions_of(owner_engine, org_b.id) == 1
    for user in (None, victims["a"].id, victims["b"].id):  # no tenant, an outsider, its owner
        with app_engine.connect() as conn:
            _as_user(conn, user, org_b.id if user == victims["b"].id else None)
            with pytest.raises(DBAPIError, match="permission denied"):
                conn.execute(text("DELETE FROM organisations WHERE id = :b"), {"b": org_b.id})
        with app_engine.connect() as conn, pytest.raises(DBAPIError, match="permission denied"):
            conn.execute(text("UPDATE organisations SET id = -id WHERE id = :b"), {"b": org_b.id})
        with app_engine.connect() as conn, pytest.raises(DBAPIError, match="permission denied"):
            conn.execute(text("DELETE FROM users WHERE id = :b"), {"b": victims["b"].id})
    # Nor can it purge early: only an owner schedules, and only a due org is purged.
    with app_engine.begin() as conn:
        _as_user(conn, victims["a"].id)
        with pytest.raises(DBAPIError, match="only an owner"), conn.begin_nested():
            conn.execute(
                text("SELECT outlay_schedule_org_deletion(:b, interval '0')"), {"b": org_b.id}
            )
        assert conn.execute(text("SELECT * FROM outlay_purge_due_orgs()")).all() == []
    with app_engine.begin() as conn:
        _as_user(conn, victims["b"].id)
        due = conn.execute(
            text("SELECT outlay_schedule_org_deletion(:b, interval '0') - now()"),
            {"b": org_b.id},
        ).scalar()
        assert due.days >= 1  # the grace period has a floor the runtime role cannot lower
        assert conn.execute(text("SELECT * FROM outlay_purge_due_orgs()")).all() == []
        conn.execute(text("SELECT outlay_cancel_org_deletion(:b)"), {"b": org_b.id})
    assert _transactions_of(owner_engine, org_b.id) == 1


def test_runtime_role_cannot_rewrite_another_users_secrets(app_engine, owner_engine, victims):
    b = victims["b"]
    with owner_engine.connect() as conn:
        before = conn.execute(
            text("SELECT email, password, tf_totp_secret FROM users WHERE id = :b"), {"b": b.id}
        ).one()
    for acting in (None, victims["a"].id):
        with app_engine.begin() as conn:
            _as_user(conn, acting)
            for column, value in (
                ("password", "$argon2id$attacker"),
                ("email", "attacker@evil.example"),
                ("tf_totp_secret", "attacker"),
                ("fs_uniquifier", "attacker"),
            ):
                changed = conn.execute(
                    text(f"UPDATE users SET {column} = :v WHERE id = :b"), {"v": value, "b": b.id}
                ).rowcount
                assert changed == 0, column
            with pytest.raises(DBAPIError, match="permission denied"), conn.begin_nested():
                conn.execute(text("UPDATE users SET active = false WHERE id = :b"), {"b": b.id})
    with owner_engine.connect() as conn:
        after = conn.execute(
            text("SELECT email, password, tf_totp_secret FROM users WHERE id = :b"), {"b": b.id}
        ).one()
    assert after == before
    # Their own row, they can change (what the profile and Flask-Security do).
    with app_engine.begin() as conn:
        _as_user(conn, b.id)
        assert (
            conn.execute(text("UPDATE users SET name = 'B' WHERE id = :b"), {"b": b.id}).rowcount
            == 1
        )


def test_runtime_role_cannot_mint_or_see_another_users_tokens(app_engine, owner_engine, victims):
    a, b = victims["a"], victims["b"]
    insert = text(
        "INSERT INTO api_tokens (user_id, name, prefix, digest) VALUES (:u, 'x', 'olt_x', :d)"
    )
    for acting in (None, a.id):
        with app_engine.connect() as conn:
            _as_user(conn, acting)
            with pytest.raises(DBAPIError, match="row-level security"):
                conn.execute(insert, {"u": b.id, "d": f"forged-{acting}"})
    with app_engine.begin() as conn:
        _as_user(conn, b.id)
        conn.execute(insert, {"u": b.id, "d": "b-own"})
        assert conn.execute(text("SELECT count(*) FROM api_tokens")).scalar() == 1
    with app_engine.begin() as conn:
        _as_user(conn, a.id)
        assert conn.execute(text("SELECT count(*) FROM api_tokens")).scalar() == 0
        revoked = conn.execute(
            text("UPDATE api_tokens SET revoked_at = now() WHERE user_id = :b"), {"b": b.id}
        ).rowcount
        assert revoked == 0
        with pytest.raises(DBAPIError, match="permission denied"), conn.begin_nested():
            conn.execute(text("DELETE FROM api_tokens WHERE user_id = :b"), {"b": b.id})


def test_org_settings_change_only_as_its_owner_inside_it(app_engine, victims):
    org_b = victims["org_b"]
    update = text("UPDATE organisations SET name = 'Hijacked' WHERE id = :b")
    for user, org in ((None, None), (victims["a"].id, None), (victims["a"].id, org_b.id)):
        with app_engine.begin() as conn:
            _as_user(conn, user, org)
            assert conn.execute(update, {"b": org_b.id}).rowcount == 0


def _grants_of_global_tables(conn) -> dict[str, dict[str, object]]:
    """outlay_app's verbs and column grants on every table without an org_id (present and
    future: a new global table, or a new grant on one, shows here)."""
    tables = conn.execute(
        text(
            "SELECT t.table_name FROM information_schema.tables t "
            "WHERE t.table_schema = 'public' AND t.table_type = 'BASE TABLE' "
            "AND NOT EXISTS (SELECT 1 FROM information_schema.columns c "
            "  WHERE c.table_schema = 'public' AND c.table_name = t.table_name "
            "  AND c.column_name = 'org_id')"
        )
    ).scalars()
    grants: dict[str, dict[str, object]] = {}
    for table in sorted(tables):
        entry: dict[str, object] = {"table": _table_verbs(conn, table)}
        for verb in ("INSERT", "UPDATE"):
            columns = _columns(conn, table, verb)
            if columns and columns != _all_columns(conn, table):
                entry[verb] = columns
        if any(entry.values()):
            grants[table] = entry
    return grants


def test_every_global_table_grant_is_pinned_literally(owner_engine):
    """Written out here, not read from tenants/rls.py: widening a grant there must fail this."""
    with owner_engine.connect() as conn:
        grants = _grants_of_global_tables(conn)
    assert grants == {
        "users": {
            "table": {"SELECT", "INSERT"},
            "UPDATE": {
                *("email", "name", "password", "fs_uniquifier", "confirmed_at"),
                *("last_login_at", "current_login_at", "last_login_ip", "current_login_ip"),
                *("login_count", "tf_primary_method", "tf_totp_secret", "tf_phone_number"),
                *("mf_recovery_codes", "locale", "default_org_id", "update_datetime"),
            },
        },
        "organisations": {
            "table": {"SELECT", "INSERT"},
            "UPDATE": {"name", "base_currency", "time_zone", "fiscal_year_start"},
        },
        "api_tokens": {
            "table": {"SELECT"},
            "INSERT": {"user_id", "name", "prefix", "digest", "last_used_at", "revoked_at"},
            "UPDATE": {"revoked_at"},
        },
        "user_sessions": {
            "table": {"SELECT"},
            "INSERT": {"user_id", "digest", "ip", "user_agent", "revoked_at"},
            "UPDATE": {"last_seen_at", "revoked_at"},
        },
        "roles": {"table": {"SELECT"}},
        "roles_users": {"table": {"SELECT"}},
        # The bundled ECB reference rates: shared by every org, refreshed by the worker.
        "fx_rates": {"table": {"SELECT", "INSERT", "UPDATE"}},
    }


def test_runtime_role_cannot_read_forge_or_end_another_users_sessions(
    app, app_engine, owner_engine, victims
):
    """A session row is a login (its digest is the credential): as outlay_app with no user or
    as another user, B's sessions cannot be listed, ended, or created."""
    from tests.support.factories import PASSWORD
    from tests.support.web import https_client, login

    a, b = victims["a"], victims["b"]
    browser = https_client(app)
    assert login(browser, b.email, PASSWORD).status_code == 302  # B has a live session
    live = "SELECT count(*) FROM user_sessions WHERE user_id = :b AND revoked_at IS NULL"
    with owner_engine.connect() as conn:
        before = conn.execute(text(live), {"b": b.id}).scalar()
    assert before >= 1
    forge = text("INSERT INTO user_sessions (user_id, digest) VALUES (:b, :d)")
    for acting in (None, a.id):
        with app_engine.begin() as conn:
            _as_user(conn, acting)
            assert conn.execute(text(live), {"b": b.id}).scalar() == 0  # not even seen
            ended = conn.execute(
                text("UPDATE user_sessions SET revoked_at = now() WHERE user_id = :b"),
                {"b": b.id},
            ).rowcount
            assert ended == 0
            with pytest.raises(DBAPIError, match="row-level security"), conn.begin_nested():
                conn.execute(forge, {"b": b.id, "d": f"forged-{acting}"})
            with pytest.raises(DBAPIError, match="permission denied"), conn.begin_nested():
                conn.execute(text("DELETE FROM user_sessions WHERE user_id = :b"), {"b": b.id})
    with owner_engine.connect() as conn:
        assert conn.execute(text(live), {"b": b.id}).scalar() == before
    assert browser.get("/profile").status_code == 200  # still signed in
