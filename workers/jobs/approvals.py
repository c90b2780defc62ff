"""Approval jobs: the approvers' daily digest of expenses waiting too long."""

from __future__ import annotations

from app import jobs
from app.seat import Seat
from app.services.approvals import digest
from workers.context import fan_out, system_job, tenant_job


@jobs.register(jobs.SEND_APPROVAL_DIGEST)
@tenant_job
def send_approval_digest(seat: Seat) -> int:
    return digest.send(seat)


@system_job
def send_approval_digests() -> int:
    """Hourly, so each org's morning comes soon after it starts; once per approver per day."""
    return fan_out(jobs.SEND_APPROVAL_DIGEST)
