"""Recurring rules: create, edit (future occurrences only), pause, resume, skip, delete, and
the upcoming occurrences that the recurring page, bill reminders and forecasts read.

A rule's `posted_through` is the last occurrence handled (posted or skipped); `done` counts
them. An edited schedule starts again the day after `posted_through` (its `anchor_date`), so
already-posted transactions never change. Each use case commits once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from app import clock, money
from app.errors import Invalid, NotFound
from app.extensions import db
from app.input import parse_date
from app.models import RecurringRule
from app.seat import Seat
from app.services.platform import audit
from app.services.recurring.recurring_input import FIELDS, SCHEDULE, clean
from app.services.recurring.schedule import Schedule

HORIZON_DAYS = 30


def schedule(rule: RecurringRule) -> Schedule:
    """The rule's current schedule (from its anchor, with the occurrences it has left)."""
    left = None if rule.count is None else max(rule.count - rule.anchor_done, 0)
    return Schedule(
        rule.frequency,
        rule.interval,
        rule.anchor_date,
        rule.weekday,
        rule.month_day,
        rule.month,
        rule.end_date,
        left,
    )


def values(rule: RecurringRule) -> dict[str, Any]:
    return {name: getattr(rule, name) for name in FIELDS}


def snapshot(rule: RecurringRule) -> dict[str, Any]:
    out = values(rule)
    out["amount"] = money.as_json(rule.amount)
    for name in ("start_date", "end_date"):
        out[name] = out[name].isoformat() if out[name] else None
    return out


def rules(seat: Seat) -> list[RecurringRule]:
    """The org's rules, narrowed to a member's own (`seat.owner_filter`)."""
    query = db.select(RecurringRule).where(RecurringRule.org_id == seat.org_id)
    if seat.owner_filter is not None:
        query = query.where(RecurringRule.created_by == seat.owner_filter)
    return list(db.session.scalars(query.order_by(RecurringRule.id)))


def get(seat: Seat, rule_id: int, *, lock: bool = False) -> RecurringRule:
    """One rule; another org's, or for a member another person's, is a 404."""
    query = db.select(RecurringRule).where(
        RecurringRule.org_id == seat.org_id, RecurringRule.id == rule_id
    )
    rule = db.session.scalar(query.with_for_update() if lock else query)
    if rule is None or seat.owner_filter not in (None, rule.created_by):
        raise NotFound("No such recurring rule.")
    return rule


def create(seat: Seat, raw: Any) -> RecurringRule:
    clean_values = clean(seat, raw).values
    rule = RecurringRule(
        org_id=seat.org_id,
        created_by=seat.user_id,
        anchor_date=clean_values["start_date"],
        anchor_done=0,
        done=0,
        skipped=[],
        **clean_values,
    )
    db.session.add(rule)
    db.session.flush()
    audit.record(seat.org_id, seat.user_id, "recurring.created", rule, after=snapshot(rule))
    db.session.commit()
    return rule


def update(seat: Seat, rule_id: int, raw: Any) -> RecurringRule:
    rule = get(seat, rule_id, lock=True)
    before = snapshot(rule)
    new = clean(seat, raw, current=values(rule)).values
    if new["count"] is not None and new["count"] < rule.done:
        raise Invalid({"count": f"{rule.done} occurrences have already been posted or skipped."})
    moved = any(new[name] != getattr(rule, name) for name in SCHEDULE if name != "end_date")
    for name, value in new.items():
        setattr(rule, name, value)
    if moved:
        if rule.posted_through is None:
            rule.anchor_date, rule.anchor_done = rule.start_date, 0
        else:  # future occurrences only: start again after the last one handled
            rule.anchor_date = max(rule.start_date, rule.posted_through + timedelta(days=1))
            rule.anchor_done = rule.done
        rule.skipped = [d for d in rule.skipped if rule.posted_through and d <= rule.posted_through]
    after = snapshot(rule)
    audit.record(seat.org_id, seat.user_id, "recurring.updated", rule, before=before, after=after)
    db.session.commit()
    return rule


def delete(seat: Seat, rule_id: int) -> None:
    """Posted transactions stay; only their link to the rule goes (ON DELETE SET NULL)."""
    rule = get(seat, rule_id, lock=True)
    audit.record(seat.org_id, seat.user_id, "recurring.deleted", rule, before=snapshot(rule))
    db.session.delete(rule)
    db.session.commit()


def pause(seat: Seat, rule_id: int) -> RecurringRule:
    rule = get(seat, rule_id, lock=True)
    if rule.paused_at is None:
        rule.paused_at = clock.now()
        audit.record(seat.org_id, seat.user_id, "recurring.paused", rule)
    db.session.commit()
    return rule


def resume(seat: Seat, rule_id: int, today: date) -> RecurringRule:
    """Carry on from today: occurrences that fell due while paused are not posted."""
    rule = get(seat, rule_id, lock=True)
    if rule.paused_at is not None:
        missed = schedule(rule).between(rule.posted_through, today - timedelta(days=1), 100_000)
        if missed:
            rule.posted_through, rule.done = missed[-1], rule.done + len(missed)
        rule.paused_at = None
        audit.record(
            seat.org_id, seat.user_id, "recurring.resumed", rule, after={"missed": len(missed)}
        )
    db.session.commit()
    return rule


def skip(seat: Seat, rule_id: int, raw_date: Any) -> RecurringRule:
    """Never post one upcoming occurrence."""
    rule = get(seat, rule_id, lock=True)
    try:
        day = parse_date(raw_date)
    except ValueError as exc:
        raise Invalid({"date": str(exc)}) from None
    upcoming = schedule(rule).between(rule.posted_through, day, 100_000)
    if not upcoming or upcoming[-1] != day:
        raise Invalid({"date": f"{day.isoformat()} is not an upcoming occurrence of this rule."})
    if day not in rule.skipped:
        rule.skipped = sorted([*rule.skipped, day])
        audit.record(
            seat.org_id, seat.user_id, "recurring.skipped", rule, after={"date": day.isoformat()}
        )
    db.session.commit()
    return rule


@dataclass(frozen=True)
class Occurrence:
    rule: RecurringRule
    date: date
    skipped: bool
    overdue: bool  # due, not posted: a paused bill's missed occurrence


def upcoming(
    seat: Seat, today: date, days: int = HORIZON_DAYS, *, bills_only: bool = False
) -> list[Occurrence]:
    """Unposted occurrences through today + days, by date (paused rules' past ones too)."""
    through = today + timedelta(days=days)
    found: list[Occurrence] = []
    for rule in rules(seat):
        if bills_only and not rule.is_bill:
            continue
        for day in schedule(rule).between(rule.posted_through, through, 1000):
            if rule.paused_at is not None and day >= today:
                break  # a paused rule shows only what it missed
            overdue = day < today and rule.is_bill and day not in rule.skipped
            found.append(Occurrence(rule, day, day in rule.skipped, overdue))
    return sorted(found, key=lambda o: (o.date, o.rule.id))
