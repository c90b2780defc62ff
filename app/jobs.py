"""Jobs, named by function: the one way the app enqueues work for the workers.

Services name a job by its `Job` here (`jobs.enqueue_after_commit(jobs.CHECK_BUDGETS, org.id)`),
never by a dotted path and never by importing `workers/` (imports only go down). The worker
side registers the function that does each job (`@jobs.register(jobs.CHECK_BUDGETS)` in
`workers/jobs/`); RQ runs `app.jobs.run(name, *args)`, which calls it. Jobs take ids, never ORM
objects.

A coalesced job (`coalesce=True`) has at most one pending copy per argument list: a Redis key
`SET NX` marks it pending, and the run clears the key when it starts, so a change that lands
during a run queues one more run. Redis being down never fails the caller: an after-commit
enqueue is logged and dropped (the user's change is saved; the periodic safety runs catch up).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache, partial
from typing import Any

from flask import current_app
from redis import Redis
from rq import Queue, Retry, get_current_job
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import db

log = logging.getLogger("outlay.jobs")

MAIL = "mail"
DEFAULT = "default"
IMPORTS = "imports"
QUEUES = (MAIL, DEFAULT, IMPORTS)
# Retries wait 10 s, 1 min, 5 min: long enough for a database or SMTP hiccup to pass.
RETRY = Retry(max=3, interval=[10, 60, 300])
FAILURE_TTL = 7 * 86400
# A pending mark outlives a lost job by at most this long (then the next save queues again).
PENDING_TTL = 3600


@dataclass(frozen=True)
class Job:
    name: str  # stable: stored in Redis with every queued job, so never rename one in use
    queue: str = DEFAULT
    coalesce: bool = False


CHECK_BUDGETS = Job("check_budgets", DEFAULT, coalesce=True)
SEND_NOTIFICATION = Job("send_notification", MAIL)
SEND_ORG_DIGEST = Job("send_org_digest", MAIL)
SEND_INVITATION = Job("send_invitation", MAIL)
SEND_RESET = Job("send_reset", MAIL)
SEND_CONFIRMATION = Job("send_confirmation", MAIL)
MATERIALISE_ORG = Job("materialise_org", DEFAULT, coalesce=True)
SEND_DUE_REMINDERS = Job("send_due_reminders", DEFAULT, coalesce=True)
RUN_EXPORT = Job("run_export", DEFAULT)  # an export or archive asked for (docs/exports.md)
PURGE_EXPORTS = Job("purge_exports", DEFAULT, coalesce=True)
SEND_APPROVAL_DIGEST = Job("send_approval_digest", MAIL, coalesce=True)
PURGE_TRASH = Job("purge_trash", DEFAULT, coalesce=True)  # transactions past the trash period
READ_RECEIPT = Job("read_receipt", DEFAULT)  # Tesseract on a new receipt (docs/approvals.md)

_handlers: dict[str, Callable[..., Any]] = {}


def register(job: Job) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark `func` as the function that does `job` (the worker side calls this)."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        known = _handlers.get(job.name)
        if known is not None and known is not func:
            raise ValueError(f"job {job.name!r} is already registered to {known!r}")
        _handlers[job.name] = func
        return func

    return decorate


def handler(name: str) -> Callable[..., Any]:
    try:
        return _handlers[name]
    except KeyError:
        raise LookupError(
            f"no function is registered for job {name!r}: the worker imports workers.jobs"
        ) from None


def run(name: str, *args: Any) -> Any:
    """What RQ executes for every job enqueued here: clear the pending mark, then do the job."""
    current = get_current_job()
    if current is not None and (key := current.meta.get("pending_key")):
        current.connection.delete(key)
    return handler(name)(*args)


@lru_cache(maxsize=8)
def _client(url: str) -> Redis:
    # Short timeouts: with Redis unreachable a request gives up quickly instead of hanging.
    return Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)


def connection(url: str | None = None) -> Redis:
    url = url or current_app.config["REDIS_URL"]
    if not url:
        raise RuntimeError("REDIS_URL is not set: jobs need Redis (`outlay up` starts one).")
    return _client(url)


def redis_status() -> str:
    """ "ok", "down", or "not configured" (no REDIS_URL: nothing is queued)."""
    if not current_app.config.get("REDIS_URL"):
        return "not configured"
    try:
        connection().ping()
    except Exception as error:  # any failure is "down"; the reason is logged
        log.warning("Redis unreachable: %s", error)
        return "down"
    return "ok"


def prefixed(queue_name: str, prefix: str | None = None) -> str:
    """The Redis-side name: a prefix lets several apps (test runs) share one Redis."""
    prefix = current_app.config.get("OUTLAY_QUEUE_PREFIX", "") if prefix is None else prefix
    return f"{prefix}{queue_name}"


def queue(queue_name: str, redis: Redis | None = None) -> Queue:
    return Queue(prefixed(queue_name), connection=redis or connection())


def pending_key(job: Job, *args: Any) -> str:
    return prefixed(f"pending:{job.name}:" + ":".join(str(a) for a in args))


def enqueue(job: Job, *args: Any, delay: timedelta | None = None) -> Any:
    """Queue `job(*args)` with retries; a coalesced job already pending is not queued again
    (returns None)."""
    redis = connection()
    meta: dict[str, str] = {}
    if job.coalesce:
        key = pending_key(job, *args)
        if not redis.set(key, "1", nx=True, ex=PENDING_TTL):
            return None
        meta["pending_key"] = key
    options: dict[str, Any] = {
        "retry": RETRY,
        "failure_ttl": FAILURE_TTL,
        "meta": meta,
        "description": f"{job.name}{tuple(args)!r}",
    }
    target = queue(job.queue, redis)
    try:
        if delay is not None:
            return target.enqueue_in(delay, run, job.name, *args, **options)
        return target.enqueue(run, job.name, *args, **options)
    except Exception:
        if job.coalesce:
            redis.delete(meta["pending_key"])
        raise


def enqueue_after_commit(job: Job, *args: Any) -> None:
    """Queue `job(*args)` once the caller's transaction commits (never if it rolls back), so a
    worker never sees a row that isn't committed. Without Redis configured there is nothing to
    queue to; with Redis down the failure is logged and the saved change stands."""
    if current_app.config.get("REDIS_URL"):
        on_commit(partial(enqueue, job, *args))


# --- after commit ---------------------------------------------------------------------------

_KEY = "outlay_after_commit"


def on_commit(callback: Callable[[], object]) -> None:
    """Call `callback()` after the current transaction of `db.session` commits."""
    install()
    db.session().info.setdefault(_KEY, []).append(callback)


def _run_callbacks(session: Session) -> None:
    for callback in session.info.pop(_KEY, []):
        try:
            callback()
        except Exception as error:  # never fail a saved change for its follow-up
            log.warning("after-commit %r failed (%s); the change is saved", callback, error)


def _drop(session: Session, _previous: object = None) -> None:
    session.info.pop(_KEY, None)


def install() -> None:
    """Register the session hooks (idempotent)."""
    if not event.contains(Session, "after_commit", _run_callbacks):
        event.listen(Session, "after_commit", _run_callbacks)
        event.listen(Session, "after_rollback", _drop)
