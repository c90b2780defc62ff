"""JSON shapes of the API's objects. Amounts are strings; dates ISO 8601."""

from __future__ import annotations

from typing import Any

from flask import request

from app import money
from app.errors import Invalid
from app.models import Category, PaymentMethod, Transaction
from app.queries.dashboard import Totals


def transaction(t: Transaction | Any) -> dict[str, Any]:
    """A transaction, from the ORM object or a plain row of the transactions table."""
    return {
        "id": t.id,
        "kind": t.kind,
        "date": t.date.isoformat(),
        "amount": money.as_json(t.amount),
        "currency": t.currency,
        "rate": str(t.rate),
        "rate_date": t.rate_date.isoformat() if t.rate_date else None,
        "rate_source": t.rate_source,
        "base_amount": money.as_json(t.base_amount),
        "category_id": t.category_id,
        "description": t.description,
        "payment_method_id": t.payment_method_id,
        "notes": t.notes,
        "tags": list(t.tags or []),
        "status": t.status,
        "created_by": t.created_by,
        "created_at": t.created_at.isoformat() if t.created_at else None,
        "updated_at": t.updated_at.isoformat() if t.updated_at else None,
    }


def category(c: Category) -> dict[str, Any]:
    return {
        "id": c.id,
        "kind": c.kind,
        "name": c.name,
        "parent_id": c.parent_id,
        "color": c.color,
        "icon": c.icon,
        "archived": c.archived_at is not None,
    }


def payment_method(m: PaymentMethod) -> dict[str, Any]:
    return {"id": m.id, "name": m.name, "archived": m.archived_at is not None}


def totals(t: Totals) -> dict[str, Any]:
    return {
        "balance": money.as_json(t.balance),
        "income_all": money.as_json(t.income_all),
        "expense_all": money.as_json(t.expense_all),
        "income_month": money.as_json(t.income_month),
        "expense_month": money.as_json(t.expense_month),
        "income_last_month": money.as_json(t.income_last_month),
        "expense_last_month": money.as_json(t.expense_last_month),
        "transactions": t.count,
    }


def body() -> dict[str, Any]:
    """The JSON object a request carries, or a 422 naming `body`."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise Invalid({"body": "Send a JSON object (Content-Type: application/json)."})
    return data
