"""An org's end and its hand-over: delete (after a grace period) and transfer ownership.

Deletion is three steps through SECURITY DEFINER functions (migration 0006d, docs/tenancy.md):
an owner schedules it by typing the org's name; until the due date the org is closed to everyone
but its owners, who may cancel; then the periodic purge removes the org and all its rows. The
runtime role cannot delete an org itself, nor purge one before its due date.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import text

from app.errors import Invalid
from app.extensions import db
from app.models import Membership, Organisation
from app.seat import Seat
from app.services.orgs import members
from app.services.platform import audit, rows
from tenants.roles import Role


def is_closing(org: Organisation) -> bool:
    return org.deletion_due_at is not None


def schedule_deletion(seat: Seat, typed_name: object, grace_days: int) -> datetime:
    """Mark the org for deletion once the owner has typed its name; returns the due time."""
    org = db.session.get(Organisation, seat.org_id)
    if not isinstance(typed_name, str) or typed_name.strip() != org.name:
        raise Invalid({"confirm_name": f"Type the organisation's name, {org.name}, exactly."})
    due = db.session.execute(
        text("SELECT outlay_schedule_org_deletion(:org, make_interval(days => :days))"),
        {"org": org.id, "days": int(grace_days)},
    ).scalar_one()
    after = {"due": due.isoformat()}
    audit.record(org.id, seat.user_id, "org.deletion_scheduled", org, after=after)
    db.session.commit()
    db.session.refresh(org)
    return due


def cancel_deletion(seat: Seat) -> None:
    org = db.session.get(Organisation, seat.org_id)
    db.session.execute(text("SELECT outlay_cancel_org_deletion(:org)"), {"org": org.id})
    audit.record(org.id, seat.user_id, "org.deletion_cancelled", org)
    db.session.commit()
    db.session.refresh(org)


def purge_due() -> list[int]:
    """Remove for good every org whose grace period is over; the ids removed."""
    ids = list(db.session.execute(text("SELECT org_id FROM outlay_purge_due_orgs()")).scalars())
    db.session.commit()
    return ids


def transfer_ownership(seat: Seat, membership_id: object, *, stay_owner: bool) -> Membership:
    """Make another member an owner; the actor becomes an accountant unless they stay owner.

    There is an owner before and after (the new one), so the last-owner rule holds."""
    org_id, actor = seat.org_id, members.seat_membership(seat)
    try:
        target_id = int(str(membership_id))
    except ValueError:
        raise Invalid({"membership_id": "Choose the member who becomes the owner."}) from None
    target = rows.get(Membership, org_id, target_id, "No such member.")
    if target.id == actor.id:
        raise Invalid({"membership_id": "Choose someone other than yourself."})
    before = {"new_owner": target.user_id, "was": target.role}
    target.role = Role.OWNER.value
    if not stay_owner:
        actor.role = Role.ACCOUNTANT.value
    after = {"new_owner": target.user_id, "previous_owner_role": actor.role}
    audit.commit(seat, "org.ownership_transferred", target, before=before, after=after)
    return target
