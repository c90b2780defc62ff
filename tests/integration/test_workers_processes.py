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


@pytest.mark.parametrize("source", ["Procfile", "outlay up"])
def test_worker_and_scheduler_processes_post_a_due_occurrence(
    app, make, owner_url, redis_url, tmp_path, source
):
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
