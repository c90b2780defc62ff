"""Mail jobs (queue `mail`): one notification's email, and the daily digests."""

from __future__ import annotations

from app.services import notification_mail
from workers.context import system_job, tenant_job


@tenant_job
def send_notification(org_id: int, notification_id: int) -> bool:
    return notification_mail.send_one(org_id, int(notification_id))


@tenant_job
def send_org_digest(org_id: int) -> int:
    return notification_mail.send_digests(org_id)


@system_job
def send_digests() -> int:
    """Daily: fan out one digest job per org (each runs under its own tenant)."""
    from app.extensions import db
    from app.models import Organisation
    from workers.queues import MAIL, enqueue

    org_ids = list(db.session.scalars(db.select(Organisation.id).order_by(Organisation.id)))
    db.session.rollback()
    for org_id in org_ids:
        enqueue(MAIL, "workers.jobs.mail.send_org_digest", org_id)
    return len(org_ids)
