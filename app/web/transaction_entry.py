"""What the transaction form and the read-only page show: labels, starting values, the values
carried to the next entry, and the details of one transaction (rate, base amount; its history is
app.queries.approvals.history)."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from app import money
from app.extensions import db
from app.models import Category, PaymentMethod, Transaction
from app.models.ledger import KINDS
from app.seat import Seat
from app.services.orgs.members import members

LABELS = {
    "kind": "Kind",
    "amount": "Amount",
    "date": "Date",
    "currency": "Currency",
    "rate": "Exchange rate",
    "category_id": "Category",
    "payment_method_id": "Payment method",
    "description": "Description",
    "tags": "Tags",
    "notes": "Notes",
    "paid_personally": "I paid this myself (to be reimbursed)",
}
FLAGS = ("paid_personally",)  # checkboxes: unticked sends nothing
# "Save and add another" starts the next entry with these, as the user left them.
CARRIED = ("kind", "date", "category_id")


def first_values(args: Mapping[str, str], today: date, base_currency: str) -> dict[str, Any]:
    """A new entry: expense, today, base currency, unless the link carries the last entry's
    kind, date and category. Only shapes are checked here; the service checks the rest."""
    kind = args.get("kind")
    values: dict[str, Any] = {
        "kind": kind if kind in KINDS else "expense",
        "date": today.isoformat(),
        "currency": base_currency,
    }
    given = args.get("date", "")
    if given:
        with contextlib.suppress(ValueError):
            values["date"] = date.fromisoformat(given).isoformat()
    category = args.get("category_id", "")
    if category.isdigit():
        values["category_id"] = category
    return values


SAVED = {
    "approved": "Transaction saved.",
    "submitted": "Transaction saved and submitted for approval.",
    "draft": "Saved as a draft. Submit it from its page when it is ready.",
}


def saved_message(txn: Transaction) -> str:
    """What saving did: counted at once, awaiting approval, or kept as a draft (a receipt due
    or asked for)."""
    return SAVED.get(txn.approval_state, SAVED["approved"])


def carried(txn: Transaction) -> dict[str, str]:
    return {"kind": txn.kind, "date": txn.date.isoformat(), "category_id": str(txn.category_id)}


def shown_rate(txn: Transaction, base_currency: str) -> str:
    """The rate the edit form shows: the stored one, whatever its source (none in base)."""
    if txn.currency == base_currency:
        return ""
    return f"{txn.rate.normalize():f}"


def stored_values(txn: Transaction, base_currency: str) -> dict[str, Any]:
    return {
        "kind": txn.kind,
        "date": txn.date.isoformat(),
        "amount": money.form_amount(txn.amount, txn.currency),
        "currency": txn.currency,
        "category_id": txn.category_id,
        "payment_method_id": txn.payment_method_id or "",
        "description": txn.description,
        "notes": txn.notes,
        "tags": ", ".join(txn.tags),
        "rate": shown_rate(txn, base_currency),
        "paid_personally": txn.paid_personally,
    }


def same_value(stored: Any, read: str) -> bool:
    """Whether a receipt's reading already is the stored value (12.5 is 12.50)."""
    if str(stored or "") == read:
        return True
    try:
        return Decimal(str(stored)) == Decimal(read)
    except ArithmeticError:
        return False


def without_shown_rate(
    posted: dict[str, Any], txn: Transaction, base_currency: str
) -> dict[str, Any]:
    """The ECB rate the form showed, sent back untouched, is not an override: the ECB rate of
    the (possibly new) date applies. A rate the user typed is theirs."""
    values = dict(posted)
    if (
        txn.rate_source != "override"
        and values.get("currency") == txn.currency
        and str(values.get("rate", "")).strip() == shown_rate(txn, base_currency)
    ):
        values["rate"] = ""
    return values


@dataclass(frozen=True)
class Details:
    category: str
    method: str
    recorded_by: str


def details(seat: Seat, txn: Transaction) -> Details:
    org_id = seat.org_id
    category = db.session.get(Category, (org_id, txn.category_id))
    method = (
        db.session.get(PaymentMethod, (org_id, txn.payment_method_id))
        if txn.payment_method_id
        else None
    )
    people = {m.user_id: m.user.display_name for m in members(seat)}
    return Details(
        category=category.name if category else "",
        method=method.name if method else "",
        recorded_by=people.get(txn.created_by, "a former member") if txn.created_by else "",
    )
