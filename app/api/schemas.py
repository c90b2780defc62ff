"""JSON shapes of the API's objects. Amounts are strings; dates ISO 8601."""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter
from typing import Any

import orjson
from flask import Response, request
from sqlalchemy.engine import Row

from app import money
from app.errors import Invalid
from app.models import Category, PaymentMethod, Transaction
from app.queries.approvals import Pending
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
        "approval_state": t.approval_state,
        "paid_personally": t.paid_personally,
        "reimbursed_at": t.reimbursed_at.isoformat() if t.reimbursed_at else None,
        "created_by": t.created_by,
        "created_at": t.created_at.isoformat() if t.created_at else None,
        "updated_at": t.updated_at.isoformat() if t.updated_at else None,
    }


def history_entry(e: dict[str, Any]) -> dict[str, Any]:
    """One step of a transaction's timeline (app.queries.approvals.history)."""
    return {
        "at": e["at"].isoformat(),
        "action": e["action"],
        "actor_id": e["actor_id"],
        "actor": e["actor"],
        "state": e["state"],
        "comment": e["comment"],
    }


def queue_item(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "date": row["date"].isoformat(),
        "description": row["description"],
        "amount": money.as_json(row["amount"]),
        "currency": row["currency"],
        "base_amount": money.as_json(row["base_amount"]),
        "category_id": row["category_id"],
        "category": row["category_name"],
        "created_by": row["created_by"],
        "person": row["person"],
        "submitted_at": row["submitted_at"].isoformat() if row["submitted_at"] else None,
        "second_step": row["second_step"],
        "receipt_id": row["receipt_id"],
    }


# The fields of `transaction`, in its order, as columns of the transactions table.
ROW_FIELDS = (
    "id", "kind", "date", "amount", "currency", "rate", "rate_date", "rate_source",
    "base_amount", "category_id", "description", "payment_method_id", "notes", "tags",
    "status", "approval_state", "paid_personally", "reimbursed_at", "created_by", "created_at",
    "updated_at",
)  # fmt: skip


def transaction_rows(rows: Sequence[Row[Any]]) -> list[dict[str, Any]]:
    """`transaction` for a page of plain rows, the same JSON once `json_response` writes it:
    read by position (a Row's attribute access is a mapping lookup per field), only the
    amounts, the rate and the tags converted here; dates and times stay `date`/`datetime`,
    which orjson writes as `isoformat()` does (a test compares each item with the single-item
    view's JSON)."""
    if not rows:
        return []
    fields = rows[0]._fields
    take = itemgetter(*(fields.index(name) for name in ROW_FIELDS))
    amount = money.as_json
    out = []
    for row in rows:
        item = dict(zip(ROW_FIELDS, take(row), strict=True))
        item["amount"] = amount(item["amount"])
        item["base_amount"] = amount(item["base_amount"])
        item["rate"] = str(item["rate"])
        item["tags"] = list(item["tags"] or ())
        out.append(item)
    return out


def json_response(body: dict[str, Any]) -> Response:
    """`body` as a JSON response written by orjson: dates and times as ISO 8601, in C, several
    times faster than the standard library for a page of rows (docs/benchmarks.md)."""
    return Response(orjson.dumps(body), mimetype="application/json")


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


def pending(p: Pending) -> dict[str, Any]:
    """Expenses awaiting approval: shown beside the figures, never counted in them."""
    return {"count": p.count, "total": money.as_json(p.total)}


def body() -> dict[str, Any]:
    """The JSON object a request carries, or a 422 naming `body`."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise Invalid({"body": "Send a JSON object (Content-Type: application/json)."})
    return data
