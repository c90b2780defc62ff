"""Turns what a form or a JSON body says about a transaction into clean values, or field errors.

One place for the rules, shared by the web UI and the API. Every problem is reported at once,
named by field, and nothing is written until every field is good.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from app import money
from app.errors import Invalid
from app.extensions import db
from app.input import (
    body_fields,
    parse_date,
    parse_flag,
    parse_id,
    parse_text,
    text_problem,
)
from app.models import Category, PaymentMethod
from app.models.ledger import KINDS
from app.plain_text import one_line_problem
from app.seat import Seat
from app.services.fx import rates

MAX_DESCRIPTION = 200
MAX_NOTES = 2000
MAX_TAGS = 10
MAX_TAG = 40
FIELDS = (
    "kind",
    "date",
    "amount",
    "currency",
    "category_id",
    "description",
    "payment_method_id",
    "notes",
    "tags",
    "rate",
    "paid_personally",  # out of one's own pocket: reimbursed once approved (docs/approvals.md)
)


@dataclass
class TransactionInput:
    kind: str
    date: date
    amount: Decimal
    currency: str
    category_id: int
    description: str = ""
    payment_method_id: int | None = None
    notes: str = ""
    tags: list[str] = field(default_factory=list)
    rate: Decimal | None = None  # the user's override; None means the ECB rate
    paid_personally: bool = False
    conversion: rates.Conversion | None = None

    def as_dict(self) -> dict[str, Any]:
        """The columns of a transaction row, the conversion to base currency included."""
        values = {name: getattr(self, name) for name in FIELDS if name != "rate"}
        assert self.conversion is not None
        values.update(
            rate=self.conversion.rate,
            rate_date=self.conversion.rate_date,
            rate_source=self.conversion.source,
            base_amount=self.conversion.base_amount,
        )
        return values


__all__ = ["TransactionInput", "check_category", "clean", "parse_date", "parse_id", "parse_tags"]


def parse_tags(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        items = value.split(",")
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        items = value
    else:
        raise ValueError("Give tags as a list of words (or comma-separated in a form).")
    tags: list[str] = []
    for item in items:
        tag = item.strip().lower()
        if not tag:
            continue
        if text_problem(tag):
            raise ValueError("A tag contains a character that is not allowed.")
        if len(tag) > MAX_TAG:
            raise ValueError(f"Keep each tag to {MAX_TAG} characters or fewer.")
        if problem := one_line_problem(tag, "tag"):
            raise ValueError(problem)
        if tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise ValueError(f"Use at most {MAX_TAGS} tags.")
    return tags


def check_category(
    org_id: int, category_id: int, kind: str | None, *, keep: bool = False
) -> str | None:
    """Why `category_id` can't be used, or None. `keep`: it is already on the row."""
    category = db.session.get(Category, (org_id, category_id))
    if category is None:
        return "No such category in this organisation."
    if category.archived_at is not None and not keep:
        return f"{category.name} is archived; choose an active category."
    if kind is not None and category.kind != kind:
        return f"{category.name} is an {category.kind} category; choose an {kind} category."
    return None


def _check_method(org_id: int, method_id: int, *, keep: bool = False) -> str | None:
    method = db.session.get(PaymentMethod, (org_id, method_id))
    if method is None:
        return "No such payment method in this organisation."
    if method.archived_at is not None and not keep:
        return f"{method.name} is archived; choose another payment method."
    return None


def clean(
    seat: Seat, raw: Any, *, locale: str | None = None, current: dict[str, Any] | None = None
) -> TransactionInput:
    """Validate `raw` (merged over `current` for partial updates) or raise Invalid."""
    data, errors = body_fields(raw, "transaction", FIELDS, current)
    out: dict[str, Any] = {}

    def field_value(name: str, parse: Any) -> None:
        try:
            out[name] = parse(data.get(name))
        except (ValueError, money.MoneyError) as exc:
            errors[name] = str(exc)

    kind = data.get("kind")
    if kind not in KINDS:
        errors["kind"] = "Choose income or expense."
    else:
        out["kind"] = kind
    field_value("date", parse_date)
    field_value("amount", lambda v: money.parse_amount(v, locale))
    field_value("currency", lambda v: _currency(seat, v))
    field_value("category_id", lambda v: parse_id(v) if v not in (None, "") else _missing())
    field_value("payment_method_id", lambda v: None if v in (None, "", 0, "0") else parse_id(v))
    field_value(
        "description", lambda v: parse_text(v, MAX_DESCRIPTION, "description", one_line=True)
    )
    field_value("notes", lambda v: parse_text(v, MAX_NOTES, "notes"))
    field_value("tags", parse_tags)
    field_value("rate", lambda v: money.parse_rate(v, locale))
    field_value("paid_personally", parse_flag)
    if "amount" in out and "currency" in out:
        try:
            money.check_minor_units(out["amount"], out["currency"])
        except money.MoneyError as exc:
            errors["amount"] = str(exc)

    before = current or {}
    category = out.get("category_id")
    keep = category is not None and category == before.get("category_id")
    if category is not None and (problem := check_category(seat.org_id, category, kind, keep=keep)):
        errors["category_id"] = problem
    method = out.get("payment_method_id")
    keep = method is not None and method == before.get("payment_method_id")
    if method is not None and (problem := _check_method(seat.org_id, method, keep=keep)):
        errors["payment_method_id"] = problem
    if not errors:
        _convert(seat, out, errors)
    if errors:
        raise Invalid(errors)
    return TransactionInput(**out)


def _convert(seat: Seat, out: dict[str, Any], errors: dict[str, str]) -> None:
    try:
        out["conversion"] = rates.convert(
            out["amount"], out["currency"], seat.base_currency, out["date"], out.get("rate")
        )
    except rates.NoRate as exc:
        errors["currency"] = f"{exc} Enter the exchange rate you were given."
        return
    base_amount = out["conversion"].base_amount
    if base_amount.adjusted() >= money.MAX_INTEGER_DIGITS:
        errors["amount"] = f"That amount is too large once converted into {seat.base_currency}."
    elif base_amount.is_zero():  # a tiny rate: the entry would count for nothing
        field = "rate" if out.get("rate") is not None else "amount"
        errors[field] = (
            f"At this rate the amount is {seat.base_currency} 0 in the base currency; "
            "check the rate."
            if field == "rate"
            else f"This amount rounds to 0 in {seat.base_currency}, the base currency."
        )
    if out.get("rate") is not None and out["currency"] == seat.base_currency:
        errors["rate"] = f"An amount in {seat.base_currency}, the base currency, needs no rate."


def _missing() -> int:
    raise ValueError("Choose a category.")


def _currency(seat: Seat, value: Any) -> str:
    if value in (None, ""):
        return seat.base_currency
    return money.check_currency(value)
