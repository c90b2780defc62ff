"""Mail jobs (queue `mail`): one notification's email, and the daily digests."""

from __future__ import annotations

from app import jobs
from app.services import notification_mail
from workers.context import fan_out, system_job, tenant_job


@jobs.register(jobs.SEND_NOTIFICATION)
@tenant_job
def send_notification(org_id: int, notification_id: int) -> bool:
    return notification_mail.send_one(org_id, int(notification_id))


@jobs.register(jobs.SEND_ORG_DIGEST)
@tenant_job
def send_org_digest(org_id: int) -> int:
    return notification_mail.send_digests(org_id)


@system_job
def send_digests() -> int:
    """Daily: one digest job per org (each runs under its own tenant)."""
    return fan_out(jobs.SEND_ORG_DIGEST)
