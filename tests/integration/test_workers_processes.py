"""The worker and the scheduler run as the Procfile (and `outlay up`) start them: `rq cron`
enqueues the periodic materialiser at once, `rq worker` runs it, and a due occurrence is
posted, with nothing called in-process."""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.processes import commands
from tests.support.recurring import make_rule, posted

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def procfile_commands(env: dict[str, str]) -> dict[str, list[str]]:
    """The Procfile's lines with ${VAR} and ${VAR:-default} filled from `env`."""

    def fill(match: re.Match[str]) -> str:
        name, _, default = match.group(1).partition(":-")
        return env.get(name) or default

    out = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        name, _, command = line.partition(":")
        argv = shlex.split(re.sub(r"\$\{([^}]+)\}", fill, command))
        if argv and argv[0] == "rq":
            argv[0] = str(BIN / "rq")
        out[name.strip()] = argv
    return out


@pytest.fixture
def fresh(pg_server, redis_url, tmp_path, mailbox):
    """A database of its own: the periodic jobs fan out over every org, and the shared test
    database holds a hundred, which would make this test about queue length."""
    from sqlalchemy import create_engine, pool, text
    from sqlalchemy.engine import make_url

    from app import create_app, db_setup
    from app.config import sqlalchemy_url
    from tests.conftest import make_config

    name = f"outlay_proc_{uuid.uuid4().hex[:10]}"
    db_setup.create_database(pg_server, name)
    url = make_url(pg_server).set(database=name).render_as_string(hide_password=False)
    app = create_app(make_config(url, redis_url, tmp_path / "app", mailbox.port))
    db_setup.upgrade(app)
    yield app, url
    with app.app_context():
        from app.extensions import db

        db.engine.dispose()
    engine = create_engine(
        sqlalchemy_url(pg_server), poolclass=pool.NullPool, isolation_level="AUTOCOMMIT"
    )
    with engine.connect() as conn:
        conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = :n AND pid <> pg_backend_pid()"
            ),
            {"n": name},
        )
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
    engine.dispose()


@pytest.mark.parametrize("source", ["Procfile", "outlay up"])
def test_worker_and_scheduler_processes_post_a_due_occurrence(fresh, redis_url, tmp_path, source):
    from tests.conftest import Factory

    app, owner_url = fresh
    make = Factory(app)
    owner = make.user()
    org = make.org(owner)
    yesterday = datetime.now(UTC).date() - timedelta(days=1)
    rule_id = make_rule(app, org, owner, frequency="daily", start_date=yesterday.isoformat())

    env = {
        **os.environ,
        "DATABASE_URL": owner_url,
        "REDIS_URL": redis_url,
        "OUTLAY_QUEUE_PREFIX": f"proc-{uuid.uuid4().hex[:8]}-",  # its own queues
        "SECRET_KEY": "test-secret-" + "x" * 40,
        "OUTLAY_INSTANCE": str(tmp_path / "instance"),
        "PYTHONPATH": str(ROOT),
        # The rates job runs at the scheduler's start; this machine has no route to the ECB.
        "OUTLAY_ECB_URLS": "http://127.0.0.1:9/eurofxref-daily.xml",
    }
    for name in ("APP_DATABASE_URL", "OUTLAY_ADMIN_DATABASE_URL", "MAIL_SERVER"):
        env.pop(name, None)
    by_source = {"Procfile": procfile_commands, "outlay up": lambda e: commands(e, "", 0, 1)}
    lines = by_source[source](env)
    children = [
        subprocess.Popen(
            lines[name],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        for name in ("worker", "scheduler")
    ]
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(posted(app, org, rule_id)) < 2:
            for child in children:
                assert child.poll() is None, child.stdout.read()
            time.sleep(0.5)
    finally:
        output = []
        for child in children:
            os.killpg(child.pid, signal.SIGTERM)
        for child in children:
            try:
                output.append(child.communicate(timeout=20)[0])
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
                output.append(child.communicate()[0])
    dates = [occurrence for occurrence, _ in posted(app, org, rule_id)]
    assert dates == [yesterday.isoformat(), (yesterday + timedelta(days=1)).isoformat()], "\n".join(
        o[-3000:] for o in output
    )
    assert "materialise_all" in output[1], output[1][-2000:]
