"""Ledger jobs: the trash's deleted transactions go for good after OUTLAY_TRASH_DAYS."""

from __future__ import annotations

from app import jobs
from app.seat import Seat
from app.services.ledger import trash
from workers.context import fan_out, system_job, tenant_job


@jobs.register(jobs.PURGE_TRASH)
@tenant_job
def purge_trash(seat: Seat) -> int:
    return trash.purge_expired(seat)


@system_job
def purge_trash_all() -> int:
    """Every few hours: each org's transactions past the trash period, with their receipts."""
    return fan_out(jobs.PURGE_TRASH)
