"""Run queued jobs the way production does: a real OutlayWorker on the test run's Redis."""

from __future__ import annotations

from flask import Flask
from redis import Redis
from rq import Queue

from workers import runtime
from workers.queues import DEFAULT, MAIL
from workers.worker import OutlayWorker


def run_jobs(app: Flask, redis_url: str, *queues: str) -> None:
    """Work the given queues (default: default, then mail) until they are empty (burst)."""
    prefix = app.config["OUTLAY_QUEUE_PREFIX"]
    redis = Redis.from_url(redis_url)
    runtime.use_app(app)
    names = queues or (DEFAULT, MAIL)
    worker = OutlayWorker(
        [Queue(prefix + name, connection=redis) for name in names], connection=redis
    )
    worker.work(burst=True)


def queued(app: Flask, redis_url: str, queue_name: str) -> list[str]:
    """What waits on a queue: a job's name (`app.jobs`), else its dotted function name."""
    redis = Redis.from_url(redis_url)
    queue = Queue(app.config["OUTLAY_QUEUE_PREFIX"] + queue_name, connection=redis)
    return [
        job.args[0] if job.func_name == "app.jobs.run" else job.func_name
        for job in queue.get_jobs()
    ]


def fail_first_attempt(key: str) -> str:
    """A job for process tests: fails on its first run, succeeds on the retry; each attempt is
    counted in Redis under `key` (the worker runs it in another process)."""
    from rq import get_current_job

    job = get_current_job()
    assert job is not None
    attempt = job.connection.incr(key)
    if attempt == 1:
        raise RuntimeError("first attempt fails, as an SMTP or database hiccup would")
    return "done"
