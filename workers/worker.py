"""The worker class `rq worker` runs (`--worker-class workers.worker.OutlayWorker`).

It builds the app once in the parent, so every forked work horse starts warm; the horse
disposes of the inherited engine before its job touches the database (workers.runtime).

Scheduling on time after a restart: RQ's worker tries for the scheduler lock at start and then
only at its 10-minute maintenance run, so a worker that started while the previous one's lock
was still alive (a crash, a kill, Redis restarting) left retries and `enqueue_in` jobs waiting
up to ten minutes. This worker (1) takes over, at start, a lock whose holder was a scheduler
process on this host that no longer exists, and (2) tries for the lock every few seconds until
it holds it (a lock held by a live scheduler elsewhere expires 61 s after that one dies).
"""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime, timedelta
from typing import Any

from rq import Worker
from rq.scheduler import SCHEDULER_KEY_TEMPLATE, RQScheduler
from rq.scripts import release_lock

from workers import runtime
from workers.jobs import load_all

SCHEDULER_RETRY_SECONDS = 5
LOCK_TTL = 61  # RQScheduler's lease: its interval (1 s) + 60
STALE_AFTER = 15  # seconds without a refresh after which the holder is taken for dead

load_all()  # every @jobs.register runs before the first job (the horses inherit it)


class OutlayWorker(Worker):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        runtime.app()
        self._scheduler_tried_at: datetime | None = None

    def main_work_horse(self, job: Any, queue: Any) -> None:
        runtime.app()  # in the horse: new pid, so the inherited engine is disposed of
        super().main_work_horse(job, queue)

    # --- the scheduler lock ------------------------------------------------------------

    def _start_scheduler(self, *args: Any, **kwargs: Any) -> None:
        for queue in self.queues:
            release_dead_scheduler_lock(self.connection, queue.name)
        super()._start_scheduler(*args, **kwargs)
        self._scheduler_tried_at = datetime.now(UTC)

    def _scheduler_missing(self) -> bool:
        scheduler = getattr(self, "scheduler", None)  # read during Worker.__init__ too
        return scheduler is not None and not (scheduler._process and scheduler._process.is_alive())

    @property
    def dequeue_timeout(self) -> int:
        # Wake up often enough to retry the lock while another scheduler holds it.
        if self._scheduler_missing():
            return SCHEDULER_RETRY_SECONDS
        return super().dequeue_timeout

    @property
    def should_run_maintenance_tasks(self) -> bool:
        return super().should_run_maintenance_tasks or self._scheduler_retry_due()

    def _scheduler_retry_due(self) -> bool:
        if not self._scheduler_missing() or self._scheduler_tried_at is None:
            return False
        waited = datetime.now(UTC) - self._scheduler_tried_at
        return waited >= timedelta(seconds=SCHEDULER_RETRY_SECONDS)

    def run_maintenance_tasks(self) -> None:
        if self._scheduler_retry_due() and not Worker.should_run_maintenance_tasks.fget(self):  # type: ignore[attr-defined]
            assert self.scheduler is not None
            for queue in self.queues:
                release_dead_scheduler_lock(self.connection, queue.name)
            self.scheduler.acquire_locks(auto_start=True)
            self._scheduler_tried_at = datetime.now(UTC)
            return
        super().run_maintenance_tasks()
        self._scheduler_tried_at = datetime.now(UTC)


def release_dead_scheduler_lock(redis: Any, queue_name: str) -> bool:
    """Free `queue_name`'s scheduler lock if its holder is gone: it ran on this host and its
    process no longer exists, or it has not refreshed the lock (a live scheduler does every
    second) for STALE_AFTER seconds. Otherwise the lock would live on for a minute."""
    key = RQScheduler.get_locking_key(queue_name)
    holder = redis.get(key)
    if holder is None:
        return False
    name = _text(holder)
    info = {_text(k): _text(v) for k, v in redis.hgetall(SCHEDULER_KEY_TEMPLATE % name).items()}
    pid = int(info.get("pid") or 0)
    dead_here = info.get("hostname") == socket.gethostname() and pid > 0 and not _alive(pid)
    ttl = redis.ttl(key)
    silent = ttl is not None and 0 <= ttl < LOCK_TTL - STALE_AFTER
    if dead_here or silent:
        return bool(release_lock(redis, key, name))
    return False


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
