"""The worker class `rq worker` runs (`--worker-class workers.worker.OutlayWorker`).

It builds the app once in the parent, so every forked work horse starts warm; the horse
disposes of the inherited engine before its job touches the database (workers.runtime).
"""

from __future__ import annotations

from typing import Any

from rq import Worker

from workers import runtime


class OutlayWorker(Worker):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        runtime.app()

    def main_work_horse(self, job: Any, queue: Any) -> None:
        runtime.app()  # in the horse: new pid, so the inherited engine is disposed of
        super().main_work_horse(job, queue)
