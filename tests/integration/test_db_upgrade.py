"""`outlay db upgrade` on an empty database creates the roles and the schema, and is repeatable."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

from sqlalchemy import create_engine, pool, text
from sqlalchemy.engine import make_url

from app import db_setup
from app.config import sqlalchemy_url


def run_upgrade(url: str, instance: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"APP_DATABASE_URL", "SECRET_KEY"}}
    env.update(DATABASE_URL=url, OUTLAY_INSTANCE=str(instance))
    outlay = Path(sys.executable).parent / "outlay"
    return subprocess.run(
        [str(outlay), "db", "upgrade"], env=env, capture_output=True, text=True, timeout=120
    )


def test_upgrade_on_an_empty_database(pg_server, tmp_path):
    name = f"outlay_fresh_{uuid.uuid4().hex[:8]}"
    db_setup.create_database(pg_server, name)
    url = make_url(pg_server).set(database=name).render_as_string(hide_password=False)

    first = run_upgrade(url, tmp_path)
    assert first.returncode == 0, first.stderr
    second = run_upgrade(url, tmp_path)
    assert second.returncode == 0, second.stderr
    assert "Running upgrade" in first.stderr and "Running upgrade" not in second.stderr

    engine = create_engine(sqlalchemy_url(url), poolclass=pool.NullPool)
    with engine.connect() as conn:
        roles = dict(
            conn.execute(
                # By name: other tests (other xdist workers) make roles of their own meanwhile.
                text(
                    "SELECT rolname, rolbypassrls FROM pg_roles "
                    "WHERE rolname IN ('outlay_app', 'outlay_admin')"
                )
            ).all()
        )
        forced = dict(
            conn.execute(
                text(
                    "SELECT relname, relforcerowsecurity FROM pg_class "
                    "WHERE relname IN ('memberships', 'invitations', 'audit_log')"
                )
            ).all()
        )
    engine.dispose()
    assert roles == {"outlay_app": False, "outlay_admin": True}
    assert forced == {"memberships": True, "invitations": True, "audit_log": True}

    admin = create_engine(
        sqlalchemy_url(pg_server), poolclass=pool.NullPool, isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE "{name}"')
    admin.dispose()


def test_an_upgrade_leaves_roles_that_are_as_they_should_be_unwritten(app, owner_engine):
    """The roles are the cluster's, shared by every database on it: an upgrade that rewrote
    them each time made two upgrades of two databases at once (two deploys, two test workers)
    fail with "tuple concurrently updated". A role already right is left as it is."""
    rows = text(
        "SELECT rolname, xmin::text FROM pg_authid "
        "WHERE rolname IN ('outlay_app', 'outlay_admin') ORDER BY rolname"
    )
    with owner_engine.connect() as conn:
        before = conn.execute(rows).all()
        db_setup.ensure_roles(conn, app.config)
        conn.commit()
        after = conn.execute(rows).all()
    assert [name for name, _ in before] == ["outlay_admin", "outlay_app"]
    assert after == before
