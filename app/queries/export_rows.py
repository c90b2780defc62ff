"""The filtered transaction list as an export reads it: every row, streamed, with names.

The same filters and order as the list (`app/queries/filters.apply`), so an export holds
exactly the rows the list pages through. Rows come from a server-side cursor in batches:
memory stays flat whatever the org's size.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models import Category, PaymentMethod, Transaction, User
from app.queries.filters import Filters, apply

BATCH = 2000


@dataclass(frozen=True)
class Summary:
    """Row count and totals (in the base currency) of a filtered list."""

    rows: int
    income: Decimal
    expense: Decimal

    @property
    def net(self) -> Decimal:
        return self.income - self.expense


def _order(filters: Filters) -> list[Any]:
    t = Transaction
    column = t.date if filters.sort.endswith("date") else t.base_amount
    if filters.sort.startswith("-"):
        return [column.desc(), t.id.desc()]
    return [column.asc(), t.id.asc()]


def stream(org_id: int, filters: Filters, own_user: int | None) -> Iterator[Any]:
    """Every row of the filtered list, in the list's order, with category, parent, payment
    method and recorder's names."""
    t = Transaction
    parent = aliased(Category)
    query = (
        select(
            t.id,
            t.date,
            t.kind,
            t.description,
            Category.name.label("category"),
            parent.name.label("parent_category"),
            t.amount,
            t.currency,
            t.rate,
            t.base_amount,
            PaymentMethod.name.label("method"),
            func.array_to_string(t.tags, ", ").label("tags"),
            t.status,
            t.notes,
            User.email.label("recorded_by"),
        )
        .join(Category, (Category.org_id == t.org_id) & (Category.id == t.category_id))
        .outerjoin(parent, (parent.org_id == Category.org_id) & (parent.id == Category.parent_id))
        .outerjoin(
            PaymentMethod,
            (PaymentMethod.org_id == t.org_id) & (PaymentMethod.id == t.payment_method_id),
        )
        .outerjoin(User, User.id == t.created_by)
    )
    query = apply(query, org_id, filters, own_user).order_by(*_order(filters))
    result = db.session.execute(
        query, execution_options={"stream_results": True, "yield_per": BATCH}
    )
    yield from result


def summary(org_id: int, filters: Filters, own_user: int | None) -> Summary:
    t = Transaction
    zero = Decimal(0)
    query = select(
        func.count(),
        func.coalesce(func.sum(case((t.kind == "income", t.base_amount))), zero),
        func.coalesce(func.sum(case((t.kind == "expense", t.base_amount))), zero),
    ).select_from(t)
    count, income, expense = db.session.execute(apply(query, org_id, filters, own_user)).one()
    return Summary(int(count), Decimal(income), Decimal(expense))


def by_category(org_id: int, filters: Filters, own_user: int | None) -> list[Any]:
    """(kind, parent, category, count, total) of the filtered list, largest first per kind."""
    t = Transaction
    parent = aliased(Category)
    total = func.sum(t.base_amount).label("total")
    query = (
        select(
            t.kind,
            parent.name.label("parent_category"),
            Category.name.label("category"),
            func.count().label("count"),
            total,
        )
        .join(Category, (Category.org_id == t.org_id) & (Category.id == t.category_id))
        .outerjoin(parent, (parent.org_id == Category.org_id) & (parent.id == Category.parent_id))
        .group_by(t.kind, parent.name, Category.name)
    )
    query = apply(query, org_id, filters, own_user).order_by(
        t.kind.desc(), total.desc(), Category.name
    )
    return list(db.session.execute(query).all())
