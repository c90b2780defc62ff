"""Queue names and a raw enqueue by dotted path, for the worker side and operators.

The app enqueues through `app.jobs` (jobs named by function); this module re-exports its queue
names so `workers/` code reads one vocabulary.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from app.jobs import DEFAULT, FAILURE_TTL, IMPORTS, MAIL, QUEUES, RETRY, connection, queue
from app.jobs import prefixed as name

__all__ = [
    "DEFAULT", "IMPORTS", "MAIL", "QUEUES", "RETRY", "connection", "enqueue", "name", "queue",
]  # fmt: skip


def enqueue(
    queue_name: str,
    func: str,
    *args: Any,
    delay: timedelta | None = None,
    job_id: str | None = None,
    **kwargs: Any,
) -> Any:
    """Enqueue `func` (a dotted path to a job function in `workers.jobs`) with retries."""
    target = queue(queue_name)
    options: dict[str, Any] = {"retry": RETRY, "job_id": job_id, "failure_ttl": FAILURE_TTL}
    if delay is not None:
        return target.enqueue_in(delay, func, *args, **options, **kwargs)
    return target.enqueue(func, *args, **options, **kwargs)
