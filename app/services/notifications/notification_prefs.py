"""Each user's choice, per org and per kind, of how notifications reach them; unsubscribe links.

No row means "immediate". An unsubscribe link (signed with the app's SECRET_KEY, naming the
user, the org and the kind, no expiry) works without login and turns that kind's *email* off:
the delivery becomes "in_app", so the bell still shows it. Choosing "off" on the preferences
page stops that kind altogether.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.dialects.postgresql import insert

from app.errors import Invalid, NotFound
from app.extensions import db
from app.models import NotificationPreference, Organisation
from app.models.notifications import DEFAULT_DELIVERY, DELIVERIES
from app.seat import Seat
from tenants.context import tenant_context

# The kinds a person chooses for (a digest is itself a delivery, not a choice).
CHOICE_KINDS = {
    "budget_alert": "Budget alerts",
    "bill_reminder": "Bill reminders",
    "approval": "Approvals and reimbursements",
}
DELIVERY_LABELS = {
    "immediate": "Email me at once",
    "digest": "One email a day (daily digest)",
    "in_app": "In the app only, no email",
    "off": "Off: don't notify me",
}
EMAILS = ("immediate", "digest")

__all__ = ["CHOICE_KINDS", "DEFAULT_DELIVERY", "DELIVERIES", "DELIVERY_LABELS"]


def deliveries(org_id: int, user_ids: list[int], kind: str) -> dict[int, str]:
    """The delivery of `kind` for each user (the default where they never chose)."""
    found = dict(
        db.session.execute(
            db.select(NotificationPreference.user_id, NotificationPreference.delivery).where(
                NotificationPreference.org_id == org_id,
                NotificationPreference.kind == kind,
                NotificationPreference.user_id.in_(user_ids),
            )
        ).all()
    )
    return {user_id: found.get(user_id, DEFAULT_DELIVERY) for user_id in user_ids}


def delivery(org_id: int, user_id: int, kind: str) -> str:
    return deliveries(org_id, [user_id], kind)[user_id]


def preferences(seat: Seat) -> dict[str, str]:
    """The delivery the person in the seat chose for each kind, in this org."""
    return {kind: delivery(seat.org_id, seat.user_id, kind) for kind in CHOICE_KINDS}


def _upsert(org_id: int, user_id: int, kind: str, value: str) -> None:
    statement = insert(NotificationPreference).values(
        org_id=org_id, user_id=user_id, kind=kind, delivery=value
    )
    db.session.execute(
        statement.on_conflict_do_update(
            constraint="uq_notification_preferences",
            set_={"delivery": value, "updated_at": db.func.now()},
        )
    )


def save(seat: Seat, data: Mapping[str, Any]) -> dict[str, str]:
    """Set the user's delivery for each kind given; every value is checked before any is kept."""
    org_id, user_id = seat.org_id, seat.user_id
    errors: dict[str, str] = {}
    chosen: dict[str, str] = {}
    for kind in CHOICE_KINDS:
        if kind not in data:
            continue
        value = data[kind]
        if value not in DELIVERIES:
            errors[kind] = f"Choose one of {', '.join(DELIVERIES)}."
        else:
            chosen[kind] = value
    if errors:
        raise Invalid(errors)
    for kind, value in chosen.items():
        _upsert(org_id, user_id, kind, value)
    db.session.commit()
    return preferences(seat)


# --- unsubscribe links ----------------------------------------------------------------------


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="outlay-unsubscribe")


def unsubscribe_token(org_id: int, user_id: int, kind: str) -> str:
    return _serializer().dumps({"o": org_id, "u": user_id, "k": kind})


def read_unsubscribe(token: str) -> tuple[Organisation, int, str]:
    """(org, user id, kind) named by a valid link; anything else is a 404."""
    try:
        data = _serializer().loads(token)
        org_id, user_id, kind = int(data["o"]), int(data["u"]), str(data["k"])
    except (BadSignature, KeyError, TypeError, ValueError):
        raise NotFound("This unsubscribe link is not valid.") from None
    org = db.session.get(Organisation, org_id)
    if org is None or kind not in CHOICE_KINDS:
        raise NotFound("This unsubscribe link is not valid.")
    return org, user_id, kind


def unsubscribe(token: str) -> tuple[Organisation, str]:
    """Turn the email of one kind off for the user the link names (idempotent)."""
    org, user_id, kind = read_unsubscribe(token)
    with tenant_context(org.id, user_id):
        if delivery(org.id, user_id, kind) in EMAILS:
            _upsert(org.id, user_id, kind, "in_app")
        db.session.commit()
    return org, kind
