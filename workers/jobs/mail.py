"""Mail jobs (queue `mail`): notifications, digests, invitations, reset and confirmation.

Each receives ids, loads what it needs after the commit that queued it, and renders the mail
with links on the base URL (docs/mail.md).
"""

from __future__ import annotations

from app.services import account_mail, invitation_mail, notification_mail
from workers.context import system_job, tenant_job


@tenant_job
def send_notification(org_id: int, notification_id: int) -> bool:
    return notification_mail.send_one(org_id, int(notification_id))


@tenant_job
def send_org_digest(org_id: int) -> int:
    return notification_mail.send_digests(org_id)


@tenant_job
def send_invitation(org_id: int, invitation_id: int) -> bool:
    return invitation_mail.send(org_id, int(invitation_id))


@system_job
def send_reset(user_id: int | None) -> str:
    return account_mail.send_reset(user_id)


@system_job
def send_confirmation(user_id: int | None) -> str:
    return account_mail.send_confirmation(user_id)


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
