"""Signing up from an invitation: no org of one's own, and the invited role once confirmed.

The invitation token rides in the sign-up form. At registration the new account is pointed at
the inviting org (`users.default_org_id`, a global column: the invitation itself is a tenant
row the account cannot reach yet) and no org is created. When the address is confirmed, the
newest pending invitation for that address in that org is accepted, so the person's first
login lands in the inviting org with the invited role. Until then the invitation stays pending
on the owner's members page: an address nobody confirmed never becomes a member.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app

from app import clock
from app.errors import NotFound
from app.extensions import db
from app.models import Invitation, Membership, Organisation, User
from app.services.orgs.members import read_invitation
from app.services.platform import audit
from tenants.context import current, set_tenant


def invitation_email(token: str) -> tuple[Organisation, str] | None:
    """The org and address an invitation link names; None for a bad, expired or used link."""
    try:
        org, invitation = read_invitation(token)
    except NotFound:
        return None
    return org, invitation.email


def email_mismatch(token: str, email: str) -> str | None:
    """Why `email` may not sign up with this invitation, or None when it may."""
    found = invitation_email(token)
    if found is None:
        return (
            "This invitation has expired, was used or was withdrawn. Ask the owner for a new one."
        )
    _org, invited = found
    if (email or "").strip().lower() != invited.lower():
        return f"This invitation is for {invited}. Sign up with that address to accept it."
    return None


def hold_place(user: User, token: str) -> None:
    """At registration (the caller commits): point the new account at the inviting org."""
    found = invitation_email(token)
    if found is None or found[1].lower() != user.email.lower():
        return  # the form refused these already; never attach an account to a stranger's link
    org, _email = found
    if user.id is not None:  # RLS on users: a row is written as its own user (docs/tenancy.md)
        set_tenant(db.session, current(db.session).org_id, user.id)
    user.default_org_id = org.id
    if user.confirmed_at is not None:  # no confirmation step configured: join at once
        join_after_confirmation(user)


def join_after_confirmation(user: User) -> Organisation | None:
    """Accept the pending invitation that brought `user` here (the caller commits)."""
    if user.default_org_id is None:
        return None
    org = db.session.get(Organisation, user.default_org_id)
    if org is None:
        return None
    set_tenant(db.session, org.id, user.id)
    member = db.session.scalar(
        db.select(Membership).where(Membership.org_id == org.id, Membership.user_id == user.id)
    )
    if member is not None:
        return None  # an ordinary sign-up: they own the org they created
    oldest = clock.now() - timedelta(days=current_app.config["INVITATION_MAX_AGE_DAYS"])
    invitation = db.session.scalar(
        db.select(Invitation)
        .where(
            Invitation.org_id == org.id,
            db.func.lower(Invitation.email) == user.email.lower(),
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.created_at >= oldest,
        )
        .order_by(Invitation.id.desc())
        .limit(1)
    )
    if invitation is None:  # withdrawn or expired meanwhile: they start with no org
        user.default_org_id = None
        return None
    membership = Membership(org_id=org.id, user_id=user.id, role=invitation.role)
    db.session.add(membership)
    db.session.flush()
    invitation.accepted_at = clock.now()
    audit.record(org.id, user.id, "member.joined", membership, after={"role": invitation.role})
    db.session.flush()
    return org
