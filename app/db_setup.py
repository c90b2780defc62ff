"""Database roles and the schema: what `outlay db upgrade`, `outlay up` and tests share.

Three roles (DESIGN.md): the owner runs migrations; `outlay_app` is the runtime (no superuser,
no BYPASSRLS, owns nothing, DML grants only); `outlay_admin` bypasses RLS for the admin console.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection, make_url

from tenants.rls import ADMIN_ROLE, APP_ROLE

_CREATE = """
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN
    CREATE ROLE {role} {attrs};
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;  -- created meanwhile by a concurrent upgrade
END $$;
"""


# Each attribute in the roles' definitions below, and its column in pg_roles.
_COLUMNS = {
    "LOGIN": "rolcanlogin",
    "SUPERUSER": "rolsuper",
    "BYPASSRLS": "rolbypassrls",
    "CREATEDB": "rolcreatedb",
    "CREATEROLE": "rolcreaterole",
    "INHERIT": "rolinherit",
}


def _wanted(attrs: str) -> dict[str, bool]:
    """{"rolcanlogin": True, "rolsuper": False, ...} from "LOGIN NOSUPERUSER ..."."""
    wanted = {}
    for word in attrs.split():
        name = word.removeprefix("NO") if word.removeprefix("NO") in _COLUMNS else word
        wanted[_COLUMNS[name]] = name == word
    return wanted


def _attributes(connection: Connection, role: str) -> dict[str, bool]:
    columns = ", ".join(_COLUMNS.values())
    row = connection.execute(
        text(f"SELECT {columns} FROM pg_roles WHERE rolname = :r"),  # noqa: S608 (constants)
        {"r": role},
    ).one()
    return dict(zip(_COLUMNS.values(), row, strict=True))


def _password(url: str) -> str | None:
    return make_url(url).password if url else None


def ensure_roles(connection: Connection, config: Mapping[str, Any]) -> None:
    """Create or correct the two runtime roles; safe to run any number of times."""
    roles = {
        APP_ROLE: (
            "LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT",
            config.get("APP_DATABASE_URL", ""),
        ),
        ADMIN_ROLE: (
            "LOGIN NOSUPERUSER BYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT",
            config.get("OUTLAY_ADMIN_DATABASE_URL", ""),
        ),
    }
    database = connection.execute(text("SELECT current_database()")).scalar_one()
    for role, (attrs, url) in roles.items():
        connection.exec_driver_sql(_CREATE.format(role=role, attrs=attrs))
        # Roles are the cluster's, shared by its databases: an ALTER ROLE rewrites the row even
        # when nothing changes, and two upgrades of two databases doing so at once fail with
        # "tuple concurrently updated". So correct a role only when it is not as it should be.
        if _attributes(connection, role) != _wanted(attrs):
            connection.exec_driver_sql(f"ALTER ROLE {role} WITH {attrs}")
        if password := _password(url):
            connection.execute(text(f"ALTER ROLE {role} PASSWORD :pw"), {"pw": password})
        connection.exec_driver_sql(f'GRANT CONNECT ON DATABASE "{database}" TO {role}')
        connection.exec_driver_sql(f"GRANT USAGE ON SCHEMA public TO {role}")


def create_database(server_url: str, name: str) -> None:
    """Create database `name` on the server at `server_url` if it does not exist."""
    from sqlalchemy import create_engine, pool

    from app.config import sqlalchemy_url

    engine = create_engine(
        sqlalchemy_url(server_url), poolclass=pool.NullPool, isolation_level="AUTOCOMMIT"
    )
    with engine.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if exists.scalar() is None:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine.dispose()


def upgrade(app: Any) -> None:
    """Run every migration (the roles come first, from migrations/env.py)."""
    from flask_migrate import upgrade as alembic_upgrade

    with app.app_context():
        # "heads": features developed side by side may each add a branch until a merge revision.
        alembic_upgrade(revision="heads")
