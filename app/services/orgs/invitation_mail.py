"""The invitation mail, sent by the mail job (workers/jobs/mail.py) after the invite commits.

The job receives ids only; the link is signed here, at sending time, so a resent invitation's
link starts a fresh INVITATION_MAX_AGE_DAYS, and it is absolute on the base URL.
"""

from __future__ import annotations

from flask import current_app

from app import emails, links
from app.extensions import db
from app.models import Invitation, Organisation, User
from app.seat import Seat
from app.services.orgs import members
from app.services.platform import mailer
from tenants.roles import Role


def send(seat: Seat, invitation_id: int) -> bool:
    """Mail a pending invitation; False (nothing sent) if it was accepted or withdrawn since."""
    org_id = seat.org_id
    invitation = db.session.get(Invitation, (org_id, invitation_id))
    org = db.session.get(Organisation, org_id)
    if invitation is None or org is None or not invitation.pending:
        db.session.rollback()
        return False
    inviter = db.session.get(User, invitation.invited_by) if invitation.invited_by else None
    token = members.invitation_token(org_id, invitation_id)
    message = emails.compose(
        invitation.email,
        f"You're invited to {org.name} on Outlay",
        "invitation",
        html=False,
        org=org,
        inviter=inviter,
        role=Role(invitation.role),
        link=links.external_url("orgs.invitation", token=token),
        days=current_app.config["INVITATION_MAX_AGE_DAYS"],
    )
    db.session.rollback()  # read only: end the transaction before talking to the mail server
    mailer.send_message(message)
    return True
