"""Ledger jobs: the trash's deleted transactions go for good after OUTLAY_TRASH_DAYS."""

from __future__ import annotations

from app import jobs
from app.services.ledger import trash
from workers.context import fan_out, org_job, system_job

purge_trash = org_job(jobs.PURGE_TRASH, trash.purge_expired)


@system_job
def purge_trash_all() -> int:
    """Every few hours: each org's transactions past the trash period, with their receipts."""
    return fan_out(jobs.PURGE_TRASH)
