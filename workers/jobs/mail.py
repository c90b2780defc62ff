"""Mail jobs (queue `mail`): notifications, digests, invitations, reset and confirmation.

Each receives ids, loads what it needs after the commit that queued it, and renders the mail
with links on the base URL (docs/mail.md).
"""

from __future__ import annotations

from app import jobs
from app.services.accounts import account_mail
from app.services.notifications import notification_mail
from app.services.orgs import invitation_mail
from workers.context import fan_out, org_job, system_job

send_notification = org_job(jobs.SEND_NOTIFICATION, notification_mail.send_one)
send_org_digest = org_job(jobs.SEND_ORG_DIGEST, notification_mail.send_digests)
send_invitation = org_job(jobs.SEND_INVITATION, invitation_mail.send)


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
