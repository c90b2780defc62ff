"""The transaction list: filtered, sorted, keyset-paginated, in one SQL statement.

A cursor is the (sort value, id) of the last row shown; the next page starts strictly after
it, so the last page of a million rows costs what the first does.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, bindparam, literal_column, select, tuple_
from sqlalchemy.orm import aliased

from app.errors import Invalid
from app.extensions import db
from app.input import parse_date, parse_id, parse_int
from app.models import Category, PaymentMethod, Transaction, User
from app.queries.filters import Filters, apply
from app.queries.prepared import Prepared

MAX_LIMIT = 200
# A text search or an amount range is tried first on this many rows, the newest in the page's
# order (the keyset index's), so a page of a common word costs what a page of the list does;
# 50 of 2,000 is a word in 40 rows. Fewer matches there: the whole org is searched instead.
PROBE_ROWS = 2000
COLUMNS = [c for c in Transaction.__table__.c if c.key != "search"]
CURSOR_AMOUNT = re.compile(r"\d{1,15}(\.\d{1,4})?", re.ASCII)


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
        if not isinstance(value, str):
            raise ValueError
        # Only what _encode writes: a YYYY-MM-DD date, or a NUMERIC(19,4) amount. Anything
        # else (1e-20000, 1E+999999) would reach PostgreSQL as a value it cannot hold.
        if sort.endswith("date"):
            parsed: Any = parse_date(value)
        elif CURSOR_AMOUNT.fullmatch(value):
            parsed = Decimal(value)
        else:
            raise ValueError
        return parsed, parse_id(row_id)
    except (ValueError, TypeError, binascii.Error, RecursionError):
        raise Invalid(
            {"cursor": "This page link is not valid; start from the first page."}
        ) from None


def parse_limit(value: Any, default: int = 50) -> int:
    if value in (None, ""):
        return default
    message = f"Give a whole number from 1 to {MAX_LIMIT}."
    try:
        return parse_int(value, 1, MAX_LIMIT, message)
    except ValueError:
        raise Invalid({"limit": message}) from None


def _with_names(page_query: Select[Any], sort_key: str, descending: bool) -> Select[Any]:
    """Join the names onto the page's rows only. Joining first lets the planner misjudge a big
    org and join all its rows before the LIMIT: 2 s instead of 1 ms on a million rows.

    Plain columns, not Transaction entities: the pages read each row's fields and names, and
    loading 50 entities into the session cost more than the statement."""
    inner = page_query.subquery("page")
    column = inner.c[sort_key]
    order = (column.desc(), inner.c.id.desc()) if descending else (column.asc(), inner.c.id.asc())
    return (
        select(
            *(inner.c[c.key] for c in COLUMNS),
            Category.name.label("category_name"),
            Category.color.label("category_color"),
            PaymentMethod.name.label("method_name"),
            User.email.label("creator_email"),
        )
        .join(Category, (Category.org_id == inner.c.org_id) & (Category.id == inner.c.category_id))
        .outerjoin(
            PaymentMethod,
            (PaymentMethod.org_id == inner.c.org_id)
            & (PaymentMethod.id == inner.c.payment_method_id),
        )
        .outerjoin(User, User.id == inner.c.created_by)
        .order_by(*order)
    )


def _keyset(
    query: Select[Any], column: Any, row_id: Any, cursor: str | None, sort: str, key: Any = None
) -> Select[Any]:
    """`query` from after `cursor`, in the page's order (by `key`, default `column`)."""
    descending = sort.startswith("-")
    if cursor:
        value, last_id = _decode(cursor, sort)
        position = tuple_(column, row_id)
        query = query.where(
            position < tuple_(value, last_id) if descending else position > tuple_(value, last_id)
        )
    key = column if key is None else key
    return query.order_by(*((key.desc(), row_id.desc()) if descending else (key, row_id)))


def _window(org_id: int, filters: Filters, own_user: int | None, cursor: str | None) -> Select:
    """The page taken from the first PROBE_ROWS rows in the keyset index's order that pass the
    other filters, with the text search and the amount range applied to those alone."""
    t = Transaction
    column = t.date if filters.sort.endswith("date") else t.base_amount
    rest = replace(filters, q="", min=None, max=None)
    window = _keyset(
        apply(select(*t.__table__.c), org_id, rest, own_user), column, t.id, cursor, filters.sort
    ).limit(PROBE_ROWS)
    inner = window.subquery("window")
    w = aliased(Transaction, inner)
    narrow = Filters(q=filters.q, min=filters.min, max=filters.max)
    query = apply(select(*(inner.c[c.key] for c in COLUMNS)), org_id, narrow, None, table=w)
    return _keyset(query, getattr(w, column.key), w.id, None, filters.sort)


UNFILTERED = Filters()


@lru_cache(maxsize=64)
def _unfiltered_page(sort: str, own: bool, limit: int, detailed: bool, after: bool) -> Prepared:
    """A page without filters (the list as opened and paged through, the dashboard's recent
    entries, the API's list), built once per shape with the org, the member and the cursor's
    position as bind parameters and run as the driver's SQL (`Prepared`): building and
    executing the statement through SQLAlchemy cost more than running it. The same rules as
    any page (`apply`, `_keyset`)."""
    t = Transaction
    column = t.date if sort.endswith("date") else t.base_amount
    own_user = bindparam("page_own") if own else None
    query = apply(select(*COLUMNS), bindparam("page_org"), Filters(sort=sort), own_user)
    if after:
        position = tuple_(column, t.id)
        bound = tuple_(
            bindparam("page_value", type_=column.type), bindparam("page_last_id", type_=t.id.type)
        )
        query = query.where(position < bound if sort.startswith("-") else position > bound)
    query = _keyset(query, column, t.id, None, sort).limit(limit + 1)
    return Prepared(_with_names(query, column.key, sort.startswith("-")) if detailed else query)


def page(
    org_id: int,
    filters: Filters,
    *,
    own_user: int | None = None,
    cursor: str | None = None,
    limit: int = 50,
    detailed: bool = True,
) -> Page:
    """One page of transactions. `own_user` limits a member to what they recorded.

    Rows of the table's columns (`detailed`: with `category_name`, `category_color`,
    `method_name` and `creator_email`)."""
    t = Transaction
    column = t.date if filters.sort.endswith("date") else t.base_amount

    def run(query: Select[Any]) -> list[Any]:
        query = query.limit(limit + 1)
        if detailed:
            query = _with_names(query, column.key, descending)
        # Plain columns: Core runs it (its compiled form cached by SQLAlchemy) without the
        # ORM's per-statement context, a third of this call's Python time.
        return list(db.session.connection().execute(query).all())

    descending = filters.sort.startswith("-")
    rows = None
    if replace(filters, sort=UNFILTERED.sort) == UNFILTERED:
        params: dict[str, Any] = {"page_org": org_id, "page_own": own_user}
        if cursor:
            params["page_value"], params["page_last_id"] = _decode(cursor, filters.sort)
        query = _unfiltered_page(filters.sort, own_user is not None, limit, detailed, bool(cursor))
        rows = query.run(db.session.connection(), params).all()
    elif filters.q or filters.min is not None or filters.max is not None:
        # A common word or a wide amount range is found among the newest rows at once; only
        # when those hold less than a page is the whole org searched (PROBE_ROWS above).
        rows = run(_window(org_id, filters, own_user, cursor))
        rows = rows if len(rows) > limit else None
    if rows is None:
        # The page itself: plain rows of the transactions table, found by the keyset index
        # alone. With a text search, sort an expression the keyset index cannot serve, so the
        # planner finds the matches through the text index first: it underestimates how rare
        # a word is and would otherwise walk the whole org by date (1.7 s against 4 ms on a
        # million rows).
        key = column + literal_column("0") if filters.q else column
        query = apply(select(*COLUMNS), org_id, filters, own_user)
        rows = run(_keyset(query, column, t.id, cursor, filters.sort, key))
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = _encode(getattr(last, column.key), last.id)
    return Page(rows=rows, next_cursor=next_cursor, limit=limit)
