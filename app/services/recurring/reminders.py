"""Bill reminders: one-off reminders a user sets, and the reminders of recurring bills.

`send_due` tells the org's owners and accountants (those who did not turn bill reminders off)
N days before a bill is due, once: the notification service keeps at most one notification per
(org, user, dedupe_key), and the key names the bill and its due date. Paused rules and skipped
occurrences send nothing. One commit per use case.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, NamedTuple

from app import clock, money
from app.errors import Invalid
from app.extensions import db
from app.input import body_fields, parse_date, parse_int, parse_text
from app.models import Reminder
from app.seat import Seat
from app.services.platform import audit, rows
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
    return rows.get(Reminder, seat.org_id, reminder_id, "No such reminder.")


def clean(raw: Any, currency: str | None = None) -> dict[str, Any]:
    raw, errors = body_fields(raw, "reminder", REMINDER_FIELDS)
    out: dict[str, Any] = {}
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
    audit.commit(seat, "reminder.deleted", reminder, before={"title": reminder.title}, delete=True)


def _due_soon(due: date, days_before: int, today: date) -> bool:
    return today <= due <= today + timedelta(days=days_before)


class Due(NamedTuple):
    """One bill due: `key` (with the day) makes its notice once; `heading` for the title,
    `sentence` for the body."""

    key: str
    day: date
    heading: str
    sentence: str


def _notify(seat: Seat, users: list[int], due: Due) -> int:
    from app.services.notifications import notifications

    made = notifications.notify(
        seat.org_id,
        users,
        kind=KIND,
        title=f"{due.heading} due {due.day.isoformat()}",
        body=f"{due.sentence} is due on {due.day:%A %d %B %Y}.",
        link=f"/o/{seat.org_slug}/recurring",
        dedupe_key=f"{due.key}:{due.day.isoformat()}",
    )
    return len(made)


def send_due(seat: Seat, today: date) -> int:
    """Notify about every bill due within its reminder window; returns notifications made.
    Run by a job with the org's system Seat (every rule and reminder of the org)."""
    from app.services.notifications import notifications

    users = notifications.recipients(seat.org_id, KIND)
    made = 0
    if not users:
        db.session.rollback()
        return 0
    for occurrence in recurring.upcoming(seat, today, days=61, bills_only=True):
        rule = occurrence.rule
        if rule.paused_at is not None or occurrence.skipped or rule.kind != "expense":
            continue
        if not _due_soon(occurrence.date, rule.remind_days_before, today):
            continue
        what = rule.description or "A recurring bill"
        amount = money.display(rule.amount, rule.currency)
        due = Due(f"bill:{rule.id}", occurrence.date, f"{what}: {amount}", f"{what} ({amount})")
        made += _notify(seat, users, due)
    for reminder in reminders(seat, unpaid_only=True):
        if not _due_soon(reminder.due_date, reminder.remind_days_before, today):
            continue
        shown = money.display(reminder.amount, reminder.currency)
        what = reminder.title + (f" ({shown})" if reminder.amount else "")
        made += _notify(seat, users, Due(f"reminder:{reminder.id}", reminder.due_date, what, what))
    db.session.commit()
    return made
