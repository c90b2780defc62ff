"""The transaction list: filtered, sorted, keyset-paginated, in one SQL statement.

A cursor is the (sort value, id) of the last row shown; the next page starts strictly after
it, so the last page of a million rows costs what the first does.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select, tuple_

from app.errors import Invalid
from app.extensions import db
from app.models import Category, PaymentMethod, Transaction, User
from app.queries.filters import Filters, apply

MAX_LIMIT = 200


@dataclass
class Page:
    rows: list[Any]
    next_cursor: str | None
    limit: int


def _encode(value: Any, row_id: int) -> str:
    raw = json.dumps([str(value), row_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str, sort: str) -> tuple[Any, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value, row_id = json.loads(base64.urlsafe_b64decode(padded.encode()))
        parsed = date.fromisoformat(value) if sort.endswith("date") else Decimal(value)
        if not isinstance(row_id, int) or isinstance(row_id, bool):
            raise ValueError
        return parsed, row_id
    except (ValueError, TypeError, binascii.Error, InvalidOperation, UnicodeDecodeError):
        raise Invalid(
            {"cursor": "This page link is not valid; start from the first page."}
        ) from None


def parse_limit(value: Any, default: int = 50) -> int:
    if value in (None, ""):
        return default
    try:
        limit = int(value)
    except (TypeError, ValueError):
        raise Invalid({"limit": f"Give a whole number from 1 to {MAX_LIMIT}."}) from None
    if not 1 <= limit <= MAX_LIMIT:
        raise Invalid({"limit": f"Give a whole number from 1 to {MAX_LIMIT}."})
    return limit


def page(
    org_id: int,
    filters: Filters,
    *,
    own_user: int | None = None,
    cursor: str | None = None,
    limit: int = 50,
    detailed: bool = True,
) -> Page:
    """One page of transactions. `own_user` limits a member to what they recorded."""
    t = Transaction
    column = t.date if filters.sort.endswith("date") else t.amount
    descending = filters.sort.startswith("-")
    if detailed:
        query = (
            select(
                t,
                Category.name.label("category_name"),
                Category.color.label("category_color"),
                PaymentMethod.name.label("method_name"),
                User.email.label("creator_email"),
            )
            .join(Category, (Category.org_id == t.org_id) & (Category.id == t.category_id))
            .outerjoin(
                PaymentMethod,
                (PaymentMethod.org_id == t.org_id) & (PaymentMethod.id == t.payment_method_id),
            )
            .outerjoin(User, User.id == t.created_by)
        )
    else:
        # Plain rows, not ORM objects: the API serialises them as they come (no identity map).
        query = select(*(c for c in t.__table__.c if c.key != "search"))
    query = apply(query, org_id, filters, own_user)
    if cursor:
        value, row_id = _decode(cursor, filters.sort)
        position = tuple_(column, t.id)
        query = query.where(
            position < tuple_(value, row_id) if descending else position > tuple_(value, row_id)
        )
    order = (column.desc(), t.id.desc()) if descending else (column.asc(), t.id.asc())
    rows = list(db.session.execute(query.order_by(*order).limit(limit + 1)).all())
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1][0] if detailed else rows[-1]
        next_cursor = _encode(getattr(last, column.key), last.id)
    return Page(rows=rows, next_cursor=next_cursor, limit=limit)
