"""What a form or JSON body says about a recurring rule, as clean values or field errors.

The transaction template goes through the same checks as a manual transaction
(`transaction_input.clean`); the schedule is checked here. Every problem is reported at once,
by field, and nothing is written unless every field is good.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from app.errors import Invalid
from app.input import (
    body_fields,
    parse_date,
    parse_flag,
    parse_int,
    parse_optional_date,
)
from app.models.recurring import FREQUENCIES
from app.seat import Seat
from app.services.ledger import transaction_input
from app.services.recurring.schedule import Schedule

TEMPLATE = ("kind", "amount", "currency", "category_id", "description", "payment_method_id", "tags")
SCHEDULE = ("frequency", "interval", "weekday", "month_day", "month", "start_date", "end_date")
FIELDS = (*TEMPLATE, *SCHEDULE, "count", "is_bill", "remind_days_before")
MAX_COUNT = 10_000


@dataclass
class RuleInput:
    values: dict[str, Any]

    def schedule(self) -> Schedule:
        v = self.values
        return Schedule(
            v["frequency"],
            v["interval"],
            v["start_date"],
            v["weekday"],
            v["month_day"],
            v["month"],
            v["end_date"],
            v["count"],
        )


_int = parse_int


def _optional(value: Any, parse: Any) -> Any:
    return None if value in (None, "") else parse(value)


def _month_day(value: Any) -> int:
    if isinstance(value, str) and value.strip().lower() == "last":
        return -1
    number = _int(value, -1, 31, "Choose a day from 1 to 31, or the last day.")
    if number == 0:
        raise ValueError("Choose a day from 1 to 31, or the last day.")
    return number


def clean(seat: Seat, raw: Any, current: dict[str, Any] | None = None) -> RuleInput:
    """Validate `raw` (merged over `current` for partial updates) or raise Invalid."""
    data, errors = body_fields(raw, "rule", FIELDS, current)
    out: dict[str, Any] = {}

    template = {name: data.get(name) for name in TEMPLATE}
    template["date"] = data.get("start_date")
    kept = {name: current.get(name) for name in TEMPLATE} if current else None
    try:
        txn = transaction_input.clean(seat, template, current=kept)
        out.update({name: getattr(txn, name) for name in TEMPLATE})
        out["start_date"] = txn.date
        if txn.currency != seat.base_currency:  # postings use rate 1 (app/services/materialise)
            errors["currency"] = (
                f"Recurring rules record in {seat.base_currency}, the base currency."
            )
    except Invalid as error:
        for name, message in error.errors.items():
            errors["start_date" if name == "date" else name] = message
    if out.get("currency") not in (None, seat.base_currency):
        errors["currency"] = f"Recurring rules record in {seat.base_currency}, the base currency."

    def field(name: str, parse: Any) -> None:
        try:
            out[name] = parse(data.get(name))
        except ValueError as exc:
            errors[name] = str(exc)

    frequency = data.get("frequency")
    if frequency not in FREQUENCIES:
        errors["frequency"] = "Choose daily, weekly, monthly or yearly."
    out["frequency"] = frequency
    field("interval", lambda v: 1 if v in (None, "") else _int(v, 1, 99, "Repeat every 1 to 99."))
    field("weekday", lambda v: _optional(v, lambda x: _int(x, 0, 6, "Choose a day of the week.")))
    field("month_day", lambda v: _optional(v, _month_day))
    field("month", lambda v: _optional(v, lambda x: _int(x, 1, 12, "Choose a month.")))
    field("end_date", parse_optional_date)
    count_message = f"Give a number of occurrences from 1 to {MAX_COUNT}, or leave it empty."
    field("count", lambda v: _optional(v, lambda x: _int(x, 1, MAX_COUNT, count_message)))
    field("is_bill", parse_flag)
    field(
        "remind_days_before",
        lambda v: 3 if v in (None, "") else _int(v, 0, 60, "Remind 0 to 60 days before."),
    )
    if "start_date" not in out and "start_date" not in errors:
        try:
            out["start_date"] = parse_date(data.get("start_date"))
        except ValueError as exc:
            errors["start_date"] = str(exc)
    _only_where_used(out)
    if out.get("is_bill") and out.get("kind") == "income":
        errors["is_bill"] = "Only expenses can be bills."
    start, end = out.get("start_date"), out.get("end_date")
    if start and end and end < start:
        errors["end_date"] = "The end date is before the start date."
    if not errors:
        rule = RuleInput(out)
        if rule.schedule().first() is None:
            errors["end_date"] = "This schedule has no occurrence before its end date."
    if errors:
        raise Invalid(errors)
    return RuleInput(out)


def _only_where_used(out: dict[str, Any]) -> None:
    """Keep the schedule fields the frequency uses; fill them from the start date."""
    frequency, start = out.get("frequency"), out.get("start_date")
    if frequency != "weekly":
        out["weekday"] = None
    elif out.get("weekday") is None and isinstance(start, date):
        out["weekday"] = start.weekday()
    if frequency not in ("monthly", "yearly"):
        out["month_day"] = None
    elif out.get("month_day") is None and isinstance(start, date):
        out["month_day"] = start.day
    if frequency != "yearly":
        out["month"] = None
    elif out.get("month") is None and isinstance(start, date):
        out["month"] = start.month
