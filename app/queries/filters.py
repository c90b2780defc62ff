"""Transaction filters: parsed from a URL query (web and API alike), applied as SQL.

Filters live in the query string so a view can be bookmarked, shared and saved by name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from dateutil.relativedelta import relativedelta
from sqlalchemy import Select, and_, func, or_, select

from app import money
from app.errors import Invalid
from app.input import parse_date, parse_id
from app.models import Category, Transaction
from app.models.ledger import KINDS
from app.queries import fiscal

PRESETS = {
    "this-month": "This month",
    "last-month": "Last month",
    "this-quarter": "This quarter",
    "this-year": "This year",
    "last-year": "Last year",
}
SORTS = {
    "-date": "Newest first",
    "date": "Oldest first",
    "-amount": "Largest first",
    "amount": "Smallest first",
}
WORD = re.compile(r"\w+", re.UNICODE)


def preset_range(preset: str, today: date, fiscal_start: int = 1) -> tuple[date, date]:
    """[first, last] day of a preset; years and quarters are the org's financial ones."""
    month = today.replace(day=1)
    if preset == "this-month":
        return month, month + relativedelta(months=1) - timedelta(days=1)
    if preset == "last-month":
        start = month - relativedelta(months=1)
        return start, month - timedelta(days=1)
    if preset == "this-quarter":
        start = fiscal.quarter_start(today, fiscal_start)
        return start, start + relativedelta(months=3) - timedelta(days=1)
    year = fiscal.year_start(today, fiscal_start)
    if preset == "this-year":
        return year, year + relativedelta(years=1) - timedelta(days=1)
    if preset == "last-year":
        return year - relativedelta(years=1), year - timedelta(days=1)
    raise ValueError(preset)


@dataclass
class Filters:
    preset: str = ""
    date_from: date | None = None
    date_to: date | None = None
    kind: str = ""
    category: int | None = None
    min: Decimal | None = None
    max: Decimal | None = None
    method: int | None = None
    tag: str = ""
    created_by: int | None = None
    q: str = ""
    sort: str = "-date"
    # The amounts as the user wrote them ("50", not "5E+1" nor "50.0000"): URLs and saved
    # views carry back exactly what was typed.
    typed: dict[str, str] = field(default_factory=dict)

    def to_query(self) -> dict[str, str]:
        """The canonical query string: what the URL and a saved view carry."""
        out: dict[str, str] = {}
        if self.preset:
            out["preset"] = self.preset
        else:
            if self.date_from:
                out["from"] = self.date_from.isoformat()
            if self.date_to:
                out["to"] = self.date_to.isoformat()
        for name in ("kind", "tag", "q"):
            if value := getattr(self, name):
                out[name] = value
        for name in ("category", "method", "created_by"):
            if (value := getattr(self, name)) is not None:
                out[name] = str(value)
        for name in ("min", "max"):
            if (value := getattr(self, name)) is not None:
                out[name] = self.typed.get(name) or f"{value.normalize():f}"
        if self.sort != "-date":
            out["sort"] = self.sort
        return out

    def query_string(self) -> str:
        return urlencode(self.to_query())

    @property
    def active(self) -> bool:
        return bool(set(self.to_query()) - {"sort"})


def parse(args: Mapping[str, Any], today: date, fiscal_start: int = 1) -> Filters:
    """Read filters from query arguments; every bad one is named in one Invalid. Presets
    resolve on `today`, in the financial year starting in month `fiscal_start`."""
    errors: dict[str, str] = {}
    out = Filters()

    def get(name: str) -> str:
        value = args.get(name, "")
        return value.strip() if isinstance(value, str) else str(value)

    if preset := get("preset"):
        if preset in PRESETS:
            out.preset = preset
            out.date_from, out.date_to = preset_range(preset, today, fiscal_start)
        else:
            errors["preset"] = f"Choose one of: {', '.join(PRESETS)}."
    else:
        for key, attr in (("from", "date_from"), ("to", "date_to")):
            if value := get(key):
                try:
                    setattr(out, attr, parse_date(value))
                except ValueError as exc:
                    errors[key] = str(exc)
        if out.date_from and out.date_to and out.date_from > out.date_to:
            errors["to"] = "The end date is before the start date."
    if kind := get("kind"):
        if kind in KINDS:
            out.kind = kind
        else:
            errors["kind"] = "Choose income or expense."
    for key in ("category", "method", "created_by"):
        if value := get(key):
            try:
                setattr(out, key, parse_id(value))
            except ValueError as exc:
                errors[key] = str(exc)
    for key in ("min", "max"):
        if value := get(key):
            try:
                setattr(out, key, money.parse_amount(value))
                out.typed[key] = value
            except money.MoneyError as exc:
                errors[key] = str(exc)
    if out.min is not None and out.max is not None and out.min > out.max:
        errors["max"] = "The maximum is below the minimum."
    if tag := get("tag"):
        out.tag = tag[:40]  # as typed; matched in lower case, as tags are stored
    if q := get("q"):
        out.q = q[:200]
    if sort := get("sort"):
        if sort in SORTS:
            out.sort = sort
        else:
            errors["sort"] = f"Sort by one of: {', '.join(SORTS)}."
    if errors:
        raise Invalid(errors)
    return out


def text_query(q: str) -> str:
    """Every word, as a prefix: "amaz off" finds "Amazon office chair"."""
    return " & ".join(f"{w.lower()}:*" for w in WORD.findall(q)[:10])


def apply(
    query: Select[Any],
    org_id: int,
    filters: Filters,
    own_user: int | None,
    table: Any = Transaction,
) -> Select[Any]:
    """`query` narrowed by `filters`, on `table` (Transaction, or an alias of a subquery)."""
    t = table
    # What is in the trash is in no list, search or export (app/services/ledger/trash.py).
    conditions = [t.org_id == org_id, t.status != "trashed"]
    if own_user is not None:
        conditions.append(t.created_by == own_user)
    if filters.date_from:
        conditions.append(t.date >= filters.date_from)
    if filters.date_to:
        conditions.append(t.date <= filters.date_to)
    if filters.kind:
        conditions.append(t.kind == filters.kind)
    if filters.category is not None:
        family = select(Category.id).where(
            Category.org_id == org_id,
            or_(Category.id == filters.category, Category.parent_id == filters.category),
        )
        conditions.append(t.category_id.in_(family))
    if filters.min is not None:
        conditions.append(t.base_amount >= filters.min)
    if filters.max is not None:
        conditions.append(t.base_amount <= filters.max)
    if filters.method is not None:
        conditions.append(t.payment_method_id == filters.method)
    if filters.tag:
        conditions.append(t.tags.any(filters.tag.lower()))
    if filters.created_by is not None:
        conditions.append(t.created_by == filters.created_by)
    if filters.q and (tsquery := text_query(filters.q)):
        conditions.append(t.search.op("@@")(func.to_tsquery("simple", tsquery)))
    return query.where(and_(*conditions))
