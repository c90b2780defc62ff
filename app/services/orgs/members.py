"""Members of an org: invitations, role changes, removal. Owners only (checked by routes)."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError

from app import clock, jobs
from app.errors import Conflict, Invalid, NotFound
from app.extensions import db
from app.models import Invitation, Membership, Organisation, User
from app.seat import Seat
from app.services.platform import audit, rows
from tenants.context import set_tenant
from tenants.roles import Role

_SALT = "outlay-invitation"
# One pending invitation per org and address: two invites at once wait for each other here.
_LOCK_SQL = db.text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def _role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise Invalid({"role": "Choose owner, accountant, member or viewer."}) from None


def members(seat: Seat) -> list[Membership]:
    return rows.listed(Membership, seat.org_id, order_by=Membership.id)


def pending_invitations(seat: Seat) -> list[Invitation]:
    unused = (Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
    return rows.listed(Invitation, seat.org_id, *unused, order_by=Invitation.id.desc())


def invitation_token(org_id: int, invitation_id: int) -> str:
    """The signed link token; its timestamp starts the link's INVITATION_MAX_AGE_DAYS."""
    return _serializer().dumps({"org": org_id, "inv": invitation_id})


def _pending_for(org_id: int, email: str) -> Invitation | None:
    return db.session.scalars(
        db.select(Invitation)
        .where(
            Invitation.org_id == org_id,
            db.func.lower(Invitation.email) == email.lower(),
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
        .order_by(Invitation.id.desc())
        .limit(1)
    ).first()


def invite(seat: Seat, email: str, role: str) -> Invitation:
    """Invite `email` with `role`, or resend the pending invitation that address already has
    (one row, the role chosen now, a fresh link). The mail goes out after the commit."""
    org_id, actor_id = seat.org_id, seat.user_id
    try:
        email = validate_email((email or "").strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise Invalid({"email": str(exc)}) from None
    role_enum = _role(role)
    already = db.session.scalar(
        db.select(Membership)
        .join(User)
        .where(Membership.org_id == org_id, db.func.lower(User.email) == email.lower())
    )
    if already is not None:
        raise Invalid({"email": f"{email} is already a member."})
    db.session.execute(_LOCK_SQL, {"key": f"invitation:{org_id}:{email.lower()}"})
    invitation = _pending_for(org_id, email)
    if invitation is None:
        invitation = Invitation(
            org_id=org_id, email=email, role=role_enum.value, invited_by=actor_id
        )
        db.session.add(invitation)
        db.session.flush()
        action, before = "member.invited", None
    else:
        before = {"role": invitation.role}
        invitation.role, invitation.invited_by = role_enum.value, actor_id
        invitation.created_at = clock.now()  # the week a link works starts again
        action = "member.invitation_resent"
    audit.record(
        org_id,
        actor_id,
        action,
        invitation,
        before=before,
        after={"email": email, "role": role_enum.value},
    )
    jobs.enqueue_after_commit(jobs.SEND_INVITATION, org_id, invitation.id)
    db.session.commit()
    return invitation


def read_invitation(token: str) -> tuple[Organisation, Invitation]:
    """The org and invitation a link names; NotFound for a bad, expired or used link."""
    max_age = current_app.config["INVITATION_MAX_AGE_DAYS"] * 86400
    try:
        data = _serializer().loads(token, max_age=max_age)
    except SignatureExpired:
        raise NotFound("This invitation has expired. Ask the owner for a new one.") from None
    except BadSignature:
        raise NotFound("This invitation link is not valid.") from None
    org = db.session.get(Organisation, data["org"])
    if org is None:
        raise NotFound("This invitation link is not valid.")
    set_tenant(db.session, org.id)
    invitation = db.session.get(Invitation, (org.id, data["inv"]))
    if invitation is None or not invitation.pending:
        raise NotFound("This invitation has already been used or was withdrawn.")
    return org, invitation


def accept(token: str, user: User) -> Organisation:
    org, invitation = read_invitation(token)
    if invitation.email.lower() != user.email.lower():
        raise Invalid(
            {
                "email": f"This invitation is for {invitation.email}; "
                "sign in with that address to accept it."
            }
        )
    set_tenant(db.session, org.id, user.id)
    # Lock the invitation: of several accepts at once (double clicks, tabs), one joins and the
    # others, once it commits, find the invitation used: a clean refusal, not a UniqueViolation.
    db.session.refresh(invitation, with_for_update=True)
    if not invitation.pending:
        raise NotFound("This invitation has already been used or was withdrawn.")
    existing = db.session.scalar(
        db.select(Membership).where(Membership.org_id == org.id, Membership.user_id == user.id)
    )
    if existing is None:
        membership = Membership(org_id=org.id, user_id=user.id, role=invitation.role)
        db.session.add(membership)
        try:
            db.session.flush()
        except IntegrityError:  # joined meanwhile by another way (e.g. a second invitation)
            db.session.rollback()
            raise Conflict(f"You are already a member of {org.name}.") from None
        audit.record(org.id, user.id, "member.joined", membership, after={"role": invitation.role})
    invitation.accepted_at = clock.now()
    if user.default_org_id is None:
        user.default_org_id = org.id
    db.session.commit()
    return org


def revoke_invitation(seat: Seat, invitation_id: int) -> None:
    invitation = db.session.get(Invitation, (seat.org_id, invitation_id))
    if invitation is None or not invitation.pending:
        raise NotFound("No such invitation.")
    invitation.revoked_at = clock.now()
    audit.record(
        seat.org_id,
        seat.user_id,
        "member.invitation_revoked",
        invitation,
        before={"email": invitation.email},
    )
    db.session.commit()


def _membership(org_id: int, membership_id: int) -> Membership:
    return rows.get(Membership, org_id, membership_id, "No such member.")


def _owner_count(org_id: int) -> int:
    return (
        db.session.scalar(
            db.select(db.func.count())
            .select_from(Membership)
            .where(Membership.org_id == org_id, Membership.role == Role.OWNER.value)
        )
        or 0
    )


def _keep_an_owner(membership: Membership, new_role: Role | None) -> None:
    if membership.role == Role.OWNER.value and new_role != Role.OWNER:
        # Lock the org's owner rows so two demotions at once cannot both pass the check.
        db.session.execute(
            db.select(Membership.id)
            .where(Membership.org_id == membership.org_id, Membership.role == Role.OWNER.value)
            .with_for_update()
        )
        if _owner_count(membership.org_id) <= 1:
            raise Conflict(
                "An organisation needs at least one owner. Make someone else an owner first."
            )


def change_role(seat: Seat, membership_id: int, role: str) -> Membership:
    membership = _membership(seat.org_id, membership_id)
    new_role = _role(role)
    if membership.role == new_role.value:
        return membership
    _keep_an_owner(membership, new_role)
    before = {"role": membership.role}
    membership.role = new_role.value
    after = {"role": new_role.value, "user_id": membership.user_id}
    audit.commit(seat, "member.role_changed", membership, before=before, after=after)
    return membership


def remove(seat: Seat, membership_id: int) -> None:
    membership = _membership(seat.org_id, membership_id)
    _keep_an_owner(membership, None)
    before = {"user_id": membership.user_id, "role": membership.role}
    audit.commit(seat, "member.removed", membership, before=before, delete=True)


def seat_membership(seat: Seat) -> Membership:
    """The membership row of the person in the seat."""
    found = db.session.scalar(
        db.select(Membership).where(
            Membership.org_id == seat.org_id, Membership.user_id == seat.user_id
        )
    )
    if found is None:
        raise NotFound("No such member.")
    return found


def leave(seat: Seat) -> None:
    membership = seat_membership(seat)
    _keep_an_owner(membership, None)
    before = {"role": membership.role}
    audit.record(seat.org_id, seat.user_id, "member.left", membership, before=before)
    db.session.delete(membership)
    user = db.session.get(User, seat.user_id)
    if user is not None and user.default_org_id == seat.org_id:
        user.default_org_id = None
    db.session.commit()
