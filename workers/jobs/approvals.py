"""Approval jobs: the approvers' daily digest of expenses waiting too long."""

from __future__ import annotations

from app import jobs
from app.services.approvals import digest
from workers.context import fan_out, org_job, system_job

send_approval_digest = org_job(jobs.SEND_APPROVAL_DIGEST, digest.send)


@system_job
def send_approval_digests() -> int:
    """Hourly, so each org's morning comes soon after it starts; once per approver per day."""
    return fan_out(jobs.SEND_APPROVAL_DIGEST)
