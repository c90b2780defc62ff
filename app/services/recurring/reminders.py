"""Bill reminders: one-off reminders a user sets, and the reminders of recurring bills.

`send_due` tells the org's owners and accountants (those who did not turn bill reminders off)
N days before a bill is due, once: the notification service keeps at most one notification per
(org, user, dedupe_key), and the key names the bill and its due date. Paused rules and skipped
occurrences send nothing. One commit per use case.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from app import clock, money
from app.errors import Invalid, NotFound
from app.extensions import db
from app.input import parse_date, parse_int, parse_text, unknown_fields
from app.models import Reminder
from app.seat import Seat
from app.services.platform import audit
from app.services.recurring import recurring

KIND = "bill_reminder"
MAX_TITLE = 120
REMINDER_FIELDS = ("title", "due_date", "amount", "remind_days_before")


def reminders(seat: Seat, *, unpaid_only: bool = False) -> list[Reminder]:
    """The org's reminders, narrowed to a member's own (`seat.owner_filter`)."""
    query = db.select(Reminder).where(Reminder.org_id == seat.org_id)
    if seat.owner_filter is not None:
        query = query.where(Reminder.created_by == seat.owner_filter)
    if unpaid_only:
        query = query.where(Reminder.paid_at.is_(None))
    return list(db.session.scalars(query.order_by(Reminder.due_date, Reminder.id)))


def get(seat: Seat, reminder_id: int) -> Reminder:
    reminder = db.session.get(Reminder, (seat.org_id, reminder_id))
    if reminder is None:
        raise NotFound("No such reminder.")
    return reminder


def clean(raw: Any, currency: str | None = None) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise Invalid({"body": "Send a JSON object with the reminder's fields."})
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    errors.update(unknown_fields(raw, REMINDER_FIELDS))
    try:
        out["title"] = parse_text(
            raw.get("title"), MAX_TITLE, "title", required=True, one_line=True
        )
    except ValueError as exc:
        errors["title"] = str(exc)
    try:
        out["due_date"] = parse_date(raw.get("due_date"))
    except ValueError as exc:
        errors["due_date"] = str(exc)
    try:
        amount = raw.get("amount")
        out["amount"] = (
            None if amount in (None, "") else money.parse_amount(amount, currency=currency)
        )
    except money.MoneyError as exc:
        errors["amount"] = str(exc)
    days = raw.get("remind_days_before")
    try:
        out["remind_days_before"] = (
            3 if days in (None, "") else parse_int(days, 0, 60, "Remind 0 to 60 days before.")
        )
    except ValueError as exc:
        errors["remind_days_before"] = str(exc)
    if errors:
        raise Invalid(errors)
    return out


def create(seat: Seat, raw: Any) -> Reminder:
    reminder = Reminder(
        org_id=seat.org_id,
        created_by=seat.user_id,
        currency=seat.base_currency,
        **clean(raw, seat.base_currency),
    )
    db.session.add(reminder)
    db.session.flush()
    after = {"title": reminder.title}
    audit.record(seat.org_id, seat.user_id, "reminder.created", reminder, after=after)
    db.session.commit()
    return reminder


def mark_paid(seat: Seat, reminder_id: int) -> Reminder:
    reminder = get(seat, reminder_id)
    if reminder.paid_at is None:
        reminder.paid_at = clock.now()
        audit.record(seat.org_id, seat.user_id, "reminder.paid", reminder)
    db.session.commit()
    return reminder


def delete(seat: Seat, reminder_id: int) -> None:
    reminder = get(seat, reminder_id)
    audit.record(
        seat.org_id, seat.user_id, "reminder.deleted", reminder, before={"title": reminder.title}
    )
    db.session.delete(reminder)
    db.session.commit()


def _due_soon(due: date, days_before: int, today: date) -> bool:
    return today <= due <= today + timedelta(days=days_before)


def send_due(seat: Seat, today: date) -> int:
    """Notify about every bill due within its reminder window; returns notifications made.
    Run by a job with the org's system Seat (every rule and reminder of the org)."""
    from app.services.notifications import notifications

    org_id = seat.org_id
    users = notifications.recipients(org_id, KIND)
    made = 0
    if not users:
        db.session.rollback()
        return 0
    link = f"/o/{seat.org_slug}/recurring"
    for occurrence in recurring.upcoming(seat, today, days=61, bills_only=True):
        rule = occurrence.rule
        if rule.paused_at is not None or occurrence.skipped or rule.kind != "expense":
            continue
        if not _due_soon(occurrence.date, rule.remind_days_before, today):
            continue
        what = rule.description or "A recurring bill"
        amount = money.display(rule.amount, rule.currency)
        made += len(
            notifications.notify(
                org_id,
                users,
                kind=KIND,
                title=f"{what}: {amount} due {occurrence.date.isoformat()}",
                body=f"{what} ({amount}) is due on {occurrence.date:%A %d %B %Y}.",
                link=link,
                dedupe_key=f"bill:{rule.id}:{occurrence.date.isoformat()}",
            )
        )
    for reminder in reminders(seat, unpaid_only=True):
        if not _due_soon(reminder.due_date, reminder.remind_days_before, today):
            continue
        shown = money.display(reminder.amount, reminder.currency)
        amount = f" ({shown})" if reminder.amount else ""
        made += len(
            notifications.notify(
                org_id,
                users,
                kind=KIND,
                title=f"{reminder.title}{amount} due {reminder.due_date.isoformat()}",
                body=f"{reminder.title}{amount} is due on {reminder.due_date:%A %d %B %Y}.",
                link=link,
                dedupe_key=f"reminder:{reminder.id}:{reminder.due_date.isoformat()}",
            )
        )
    db.session.commit()
    return made
