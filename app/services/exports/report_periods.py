"""A report's period from its URL: `period=month|quarter|year|custom`, `on=<a day in it>`
(default today), `from`/`to` for custom. Quarters and years are the org's financial ones; the
previous period is the one of the same length just before."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta

from app.errors import Invalid
from app.input import parse_date
from app.queries import fiscal

KINDS = {"month": "Month", "quarter": "Quarter", "year": "Year", "custom": "Custom"}
MAX_DAYS = 366 * 5


@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date  # exclusive
    fiscal_start: int = 1

    @property
    def last(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def label(self) -> str:
        if self.kind == "month":
            return self.start.strftime("%B %Y")
        if self.kind == "quarter":
            first = fiscal.year_start(self.start, self.fiscal_start)
            number = ((self.start.year - first.year) * 12 + self.start.month - first.month) // 3
            return f"Q{number + 1} {fiscal.year_label(first, self.fiscal_start)}"
        if self.kind == "year":
            return fiscal.year_label(self.start, self.fiscal_start)
        return f"{self.start.isoformat()} to {self.last.isoformat()}"

    def months(self) -> list[date]:
        """The first day of every month the period touches."""
        out, month = [], self.start.replace(day=1)
        while month < self.end:
            out.append(month)
            month += relativedelta(months=1)
        return out

    def previous(self) -> Period:
        if self.kind == "custom":
            length = self.end - self.start
            return Period("custom", self.start - length, self.start, self.fiscal_start)
        step = {"month": 1, "quarter": 3, "year": 12}[self.kind]
        start = self.start - relativedelta(months=step)
        return Period(self.kind, start, self.start, self.fiscal_start)

    def query(self) -> dict[str, str]:
        if self.kind == "custom":
            return {"period": "custom", "from": self.start.isoformat(), "to": self.last.isoformat()}
        return {"period": self.kind, "on": self.start.isoformat()}


def parse(args: Mapping[str, Any], today: date, fiscal_start: int = 1) -> Period:
    kind = str(args.get("period") or "month").strip()
    if kind not in KINDS:
        raise Invalid({"period": "Choose month, quarter, year or custom."})
    errors: dict[str, str] = {}

    def day(name: str, default: date | None) -> date | None:
        value = str(args.get(name) or "").strip()
        if not value:
            return default
        try:
            return parse_date(value)
        except ValueError as exc:
            errors[name] = str(exc)
            return default

    if kind == "custom":
        first, last = day("from", None), day("to", None)
        if first is None and "from" not in errors:
            errors["from"] = "Give the first day of the period."
        if last is None and "to" not in errors:
            errors["to"] = "Give the last day of the period."
        if first and last and first > last:
            errors["to"] = "The end date is before the start date."
        if first and last and (last - first).days > MAX_DAYS:
            errors["to"] = "A report covers at most five years."
        if errors:
            raise Invalid(errors)
        return Period("custom", first, last + timedelta(days=1), fiscal_start)  # type: ignore[arg-type,operator]
    on = day("on", today) or today
    if errors:
        raise Invalid(errors)
    if kind == "month":
        start = on.replace(day=1)
        return Period(kind, start, start + relativedelta(months=1), fiscal_start)
    if kind == "quarter":
        start = fiscal.quarter_start(on, fiscal_start)
        return Period(kind, start, start + relativedelta(months=3), fiscal_start)
    start = fiscal.year_start(on, fiscal_start)
    return Period(kind, start, start + relativedelta(years=1), fiscal_start)
