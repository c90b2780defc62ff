"""The periodic jobs, declared as data: (job path, queue, every N seconds).

`rq cron workers.cron` registers each of them; add a line here for a new periodic job.
"""

from __future__ import annotations

from workers.queues import DEFAULT

PERIODIC: list[tuple[str, str, int]] = [
    ("workers.jobs.recurring.materialise_all", DEFAULT, 300),
    ("workers.jobs.reminders.send_due_all", DEFAULT, 1800),
]

__all__ = ["DEFAULT", "PERIODIC"]
