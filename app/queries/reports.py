"""The reports' figures, as SQL aggregates (never rows loaded into Python): what counted
(`app/queries/counted.py`) in a period, by category and month, by member, and what did not.

Every query takes [start, end) and `own_user` (a member's own items, `Seat.owner_filter`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import text

from app.extensions import db
from app.queries.counted import COUNTED_SQL


def _own(own_user: int | None) -> str:
    return "" if own_user is None else " AND t.created_by = :own"


BY_CATEGORY_MONTH = """
SELECT t.kind, c.id AS category_id, c.name AS category, c.parent_id, p.name AS parent,
       date_trunc('month', t.date)::date AS month, sum(t.base_amount) AS total
FROM transactions t
JOIN categories c ON c.org_id = t.org_id AND c.id = t.category_id
LEFT JOIN categories p ON p.org_id = c.org_id AND p.id = c.parent_id
WHERE t.org_id = :org AND {counted} AND t.date >= :start AND t.date < :end{own}
GROUP BY t.kind, c.id, c.name, c.parent_id, p.name, date_trunc('month', t.date)
"""


def by_category_month(org_id: int, start: date, end: date, own_user: int | None) -> list[Any]:
    """(kind, category_id, category, parent_id, parent, month, total) rows."""
    sql = BY_CATEGORY_MONTH.format(counted=COUNTED_SQL, own=_own(own_user))
    params = {"org": org_id, "start": start, "end": end, "own": own_user}
    return list(db.session.execute(text(sql), params))


@dataclass(frozen=True)
class Left:
    """Transactions in the period that reports leave out (pending, rejected)."""

    count: int
    amount: Decimal


NOT_COUNTED = """
SELECT count(*), coalesce(sum(t.base_amount), 0)
FROM transactions t
WHERE t.org_id = :org AND NOT ({counted}) AND t.status <> 'trashed'
  AND t.date >= :start AND t.date < :end{own}{kind}
"""


def not_counted(
    org_id: int, start: date, end: date, own_user: int | None, kind: str | None = None
) -> Left:
    sql = NOT_COUNTED.format(
        counted=COUNTED_SQL, own=_own(own_user), kind="" if kind is None else " AND t.kind = :kind"
    )
    params = {"org": org_id, "start": start, "end": end, "own": own_user, "kind": kind}
    count, amount = db.session.execute(text(sql), params).one()
    return Left(int(count), Decimal(amount))


BY_MEMBER = """
SELECT t.created_by AS user_id, coalesce(nullif(u.name, ''), u.email, 'Unknown') AS person,
       date_trunc('month', t.date)::date AS month, count(*) AS count, sum(t.base_amount) AS total
FROM transactions t
LEFT JOIN users u ON u.id = t.created_by
WHERE t.org_id = :org AND t.kind = 'expense' AND {counted}
  AND t.date >= :start AND t.date < :end{own}
GROUP BY t.created_by, u.name, u.email, date_trunc('month', t.date)
"""


def spending_by_member(org_id: int, start: date, end: date, own_user: int | None) -> list[Any]:
    """(user_id, person, month, count, total) of counted expenses, per recorder and month."""
    sql = BY_MEMBER.format(counted=COUNTED_SQL, own=_own(own_user))
    params = {"org": org_id, "start": start, "end": end, "own": own_user}
    return list(db.session.execute(text(sql), params))


def budget_names(org_id: int) -> dict[int, str]:
    rows = db.session.execute(
        text("SELECT id, name FROM budgets WHERE org_id = :org ORDER BY name, id"), {"org": org_id}
    )
    return {int(budget_id): name for budget_id, name in rows}
