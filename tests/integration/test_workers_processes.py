"""The worker and the scheduler run as the Procfile (and `outlay up`) start them: `rq cron`
enqueues the periodic materialiser at once, `rq worker` runs it, and a due occurrence is
posted, with nothing called in-process."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from redis import Redis
from rq import Queue, Retry, Worker
from rq.scheduler import RQScheduler

from app.processes import PROCESSES, commands, procfile
from tests.support.databases import drop_database
from tests.support.processes import RedisServer, start, wait_for
from tests.support.recurring import make_rule, posted

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


def test_the_procfile_is_the_one_written_in_app_processes():
    assert (ROOT / "Procfile").read_text() == procfile()
    assert set(PROCESSES) == {"web", "worker", "scheduler", "portal"}


def process_env(owner_url: str, redis_url: str, instance: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": owner_url,
        "REDIS_URL": redis_url,
        "OUTLAY_QUEUE_PREFIX": f"proc-{uuid.uuid4().hex[:8]}-",  # its own queues
        "SECRET_KEY": "test-secret-" + "x" * 40,
        "OUTLAY_INSTANCE": str(instance),
        "PYTHONPATH": str(ROOT),
        # The rates job runs at the scheduler's start; this machine has no route to the ECB.
        "OUTLAY_ECB_URLS": "http://127.0.0.1:9/eurofxref-daily.xml",
    }
    for name in ("APP_DATABASE_URL", "OUTLAY_ADMIN_DATABASE_URL", "MAIL_SERVER"):
        env.pop(name, None)
    return env


@pytest.fixture
def fresh(pg_server, redis_url, tmp_path, mailbox):
    """A database of its own: the periodic jobs fan out over every org, and the shared test
    database holds a hundred, which would make this test about queue length."""
    from sqlalchemy.engine import make_url

    from app import create_app, db_setup
    from tests.support.settings import make_config

    name = f"outlay_proc_{uuid.uuid4().hex[:10]}"
    db_setup.create_database(pg_server, name)
    url = make_url(pg_server).set(database=name).render_as_string(hide_password=False)
    app = create_app(make_config(url, redis_url, tmp_path / "app", mailbox.port))
    db_setup.upgrade(app)
    yield app, url
    with app.app_context():
        from app.extensions import db

        db.engine.dispose()
    drop_database(pg_server, name)


def test_worker_and_scheduler_processes_post_a_due_occurrence(fresh, redis_url, tmp_path):
    from tests.support.factories import Factory

    app, owner_url = fresh
    make = Factory(app)
    owner = make.user()
    org = make.org(owner)
    yesterday = datetime.now(UTC).date() - timedelta(days=1)
    rule_id = make_rule(app, org, owner, frequency="daily", start_date=yesterday.isoformat())

    env = process_env(owner_url, redis_url, tmp_path / "instance")
    lines = commands(env, "127.0.0.1", 0, 1)
    children = [start(lines[n], env, tmp_path / f"{n}.log") for n in ("worker", "scheduler")]
    try:
        wait_for(
            lambda: len(posted(app, org, rule_id)) >= 2, 60, "two occurrences posted", children
        )
    finally:
        output = [child.stop() for child in children]
    dates = [occurrence for occurrence, _ in posted(app, org, rule_id)]
    assert dates == [yesterday.isoformat(), (yesterday + timedelta(days=1)).isoformat()], "\n".join(
        output
    )
    assert "materialise_all" in output[1], output[1]


def test_a_retry_due_in_10_s_runs_on_time_after_the_worker_crashes_and_restarts(
    owner_url, tmp_path
):
    """A crash leaves the dead scheduler's lock in Redis for a minute; RQ's worker would try
    for it again only at its 10-minute maintenance run, so the retry waited ~10 minutes.

    On a Redis of its own (a real redis-server): in a full run on the embedded Redis the
    restarted worker was seen listening without ever receiving the job, which this test is
    not about."""
    server = RedisServer(tmp_path / "redis").start()
    try:
        _retry_on_time_after_a_crash(owner_url, server.url, tmp_path)
    finally:
        server.stop()


def _retry_on_time_after_a_crash(owner_url: str, redis_url: str, tmp_path: Path) -> None:
    env = process_env(owner_url, redis_url, tmp_path / "instance")
    prefix = env["OUTLAY_QUEUE_PREFIX"]
    redis = Redis.from_url(redis_url)
    lock = RQScheduler.get_locking_key(f"{prefix}default")
    worker_line = commands(env, "127.0.0.1", 0, 1)["worker"]

    first = start(worker_line, env, tmp_path / "worker-1.log")
    try:
        wait_for(lambda: redis.exists(lock), 30, "the first worker's scheduler lock", [first])
    finally:
        first.kill()  # a crash: nothing releases the lock
    assert redis.exists(lock), "the crashed scheduler's lock should still be there"

    second = start(worker_line, env, tmp_path / "worker-2.log")
    attempts = f"{prefix}attempts"
    queue = Queue(f"{prefix}default", connection=redis)
    try:
        # The killed worker stays registered until its TTL runs out, so "a worker is registered"
        # is true at once; wait for this process's own registration, or the 30 s below would
        # include the second worker's start (over 30 s on a busy CI machine).
        wait_for(
            lambda: any(w.pid == second.pid for w in Worker.all(queue=queue)),
            90,
            "the second worker",
            [second],
        )
        job = queue.enqueue(
            "tests.support.jobs.fail_first_attempt", attempts, retry=Retry(max=1, interval=10)
        )
        wait_for(lambda: redis.get(attempts) == b"1", 30, "the first attempt", [second])
        # The retry is due 10 s after the failure; on time means well within 30 s.
        wait_for(lambda: job.get_status(refresh=True) == "finished", 30, "the retry", [second])
    finally:
        output = second.stop()
    assert redis.get(attempts) == b"2", output
    redis.delete(attempts)
