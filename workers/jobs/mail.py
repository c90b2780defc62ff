"""Mail jobs (queue `mail`): notifications, digests, invitations, reset and confirmation.

Each receives ids, loads what it needs after the commit that queued it, and renders the mail
with links on the base URL (docs/mail.md).
"""

from __future__ import annotations

from app import jobs
from app.seat import Seat
from app.services.accounts import account_mail
from app.services.notifications import notification_mail
from app.services.orgs import invitation_mail
from workers.context import fan_out, system_job, tenant_job


@jobs.register(jobs.SEND_NOTIFICATION)
@tenant_job
def send_notification(seat: Seat, notification_id: int) -> bool:
    return notification_mail.send_one(seat, int(notification_id))


@jobs.register(jobs.SEND_ORG_DIGEST)
@tenant_job
def send_org_digest(seat: Seat) -> int:
    return notification_mail.send_digests(seat)


@jobs.register(jobs.SEND_INVITATION)
@tenant_job
def send_invitation(seat: Seat, invitation_id: int) -> bool:
    return invitation_mail.send(seat, int(invitation_id))


@jobs.register(jobs.SEND_RESET)
@system_job
def send_reset(user_id: int | None) -> str:
    return account_mail.send_reset(user_id)


@jobs.register(jobs.SEND_CONFIRMATION)
@system_job
def send_confirmation(user_id: int | None) -> str:
    return account_mail.send_confirmation(user_id)


@system_job
def send_digests() -> int:
    """Daily: one digest job per org (each runs under its own tenant)."""
    return fan_out(jobs.SEND_ORG_DIGEST)
