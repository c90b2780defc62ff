"""Queues named for their purpose, and the one way jobs are enqueued (retry with backoff)."""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from typing import Any

from flask import current_app
from redis import Redis
from rq import Queue, Retry

MAIL = "mail"
DEFAULT = "default"
IMPORTS = "imports"
QUEUES = (MAIL, DEFAULT, IMPORTS)
# Retries wait 10 s, 1 min, 5 min: long enough for a database or SMTP hiccup to pass.
RETRY = Retry(max=3, interval=[10, 60, 300])


def connection(url: str | None = None) -> Redis:
    url = url or current_app.config["REDIS_URL"]
    if not url:
        raise RuntimeError("REDIS_URL is not set: jobs need Redis (`outlay up` starts one).")
    return Redis.from_url(url)


def name(queue: str, prefix: str | None = None) -> str:
    """The Redis-side name: a prefix lets several apps (test runs) share one Redis."""
    prefix = current_app.config.get("OUTLAY_QUEUE_PREFIX", "") if prefix is None else prefix
    return f"{prefix}{queue}"


def queue(queue_name: str, redis: Redis | None = None) -> Queue:
    return Queue(name(queue_name), connection=redis or connection())


def enqueue(
    queue_name: str,
    func: str,
    *args: Any,
    delay: timedelta | None = None,
    job_id: str | None = None,
    **kwargs: Any,
) -> Any:
    """Enqueue `func` (a dotted path; jobs take ids, never ORM objects) with retries."""
    target = queue(queue_name)
    options: dict[str, Any] = {"retry": RETRY, "job_id": job_id, "failure_ttl": 7 * 86400}
    if delay is not None:
        return target.enqueue_in(delay, func, *args, **options, **kwargs)
    return target.enqueue(func, *args, **options, **kwargs)


def enqueue_after_commit(queue_name: str, func: str, *args: Any) -> None:
    """Enqueue once the caller's database transaction commits (never if it rolls back), so a
    worker never sees a row that isn't committed. A failure (Redis down) is logged by
    app.services.after_commit and never fails the user's saved change; without Redis
    configured at all there is nothing to enqueue to."""
    from app.services.after_commit import on_commit

    if current_app.config.get("REDIS_URL"):
        on_commit(partial(enqueue, queue_name, func, *args))
