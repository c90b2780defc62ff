"""The dashboard's figures, each one SQL aggregate (never rows summed in Python).

They read `transaction_summaries` (per month, kind, category, author and state; kept in the
writing transaction by triggers, migration 0011s), so a view costs the same for an org of a
thousand transactions as for one of a million. Every bound is a month's first day.
`own_user` narrows every figure to what one member recorded (members see their own items).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta

from app.queries import analytics, approvals, prepared
from app.queries.counted import SUMMARIES, counting

ZERO = Decimal("0.0000")


@dataclass
class Totals:
    income_all: Decimal
    expense_all: Decimal
    income_month: Decimal
    expense_month: Decimal
    income_last_month: Decimal
    expense_last_month: Decimal
    count: int

    @property
    def balance(self) -> Decimal:
        return self.income_all - self.expense_all

    @property
    def net_month(self) -> Decimal:
        return self.income_month - self.expense_month

    @property
    def net_last_month(self) -> Decimal:
        return self.income_last_month - self.expense_last_month


def _scope(own_user: int | None) -> str:
    return "" if own_user is None else " AND s.created_by = :own"


TOTALS_SQL = counting(
    """
SELECT
  coalesce(sum(base_total) FILTER (WHERE kind = 'income'), 0) AS income_all,
  coalesce(sum(base_total) FILTER (WHERE kind = 'expense'), 0) AS expense_all,
  coalesce(sum(base_total) FILTER (WHERE kind = 'income' AND month >= :month), 0) AS income_month,
  coalesce(sum(base_total) FILTER (WHERE kind = 'expense' AND month >= :month), 0)
    AS expense_month,
  coalesce(sum(base_total) FILTER (WHERE kind = 'income' AND month = :last), 0)
    AS income_last_month,
  coalesce(sum(base_total) FILTER (WHERE kind = 'expense' AND month = :last), 0)
    AS expense_last_month,
  coalesce(sum(row_count), 0)::bigint AS count
FROM transaction_summaries s
WHERE s.org_id = :org AND {counted} AND s.month < :next{scope}
""",
    SUMMARIES,
)


def _totals_params(org_id: int, today: date, own_user: int | None) -> dict[str, Any]:
    month = today.replace(day=1)
    return {
        "org": org_id,
        "month": month,
        "last": month - relativedelta(months=1),
        "next": month + relativedelta(months=1),
        "own": own_user,
    }


def totals(org_id: int, today: date, own_user: int | None = None) -> Totals:
    """Balances up to the end of this month (future-dated entries wait for their month)."""
    params = _totals_params(org_id, today, own_user)
    row = prepared.read(TOTALS_SQL.format(scope=_scope(own_user)), params).one()
    return Totals(**row._asdict())


# The dashboard shows what awaits approval beside the totals (never in them): both are one
# row, so one statement (a round trip less on every view).
_BESIDE = """
SELECT totals.*, pending.count AS pending_count, pending.total AS pending_total
FROM ({totals}) AS totals CROSS JOIN ({pending}) AS pending
"""


def totals_and_pending(
    org_id: int, today: date, own_user: int | None = None
) -> tuple[Totals, approvals.Pending]:
    """`totals` and `approvals.pending`, as each computes them, in one statement."""
    sql = _BESIDE.format(
        totals=TOTALS_SQL.format(scope=_scope(own_user)),
        pending=approvals.PENDING_SQL.format(own=approvals.pending_scope(own_user)),
    )
    row = prepared.read(sql, _totals_params(org_id, today, own_user)).one()
    found = row._asdict()
    pending = approvals.Pending(count=found.pop("pending_count"), total=found.pop("pending_total"))
    return Totals(**found), pending


BY_CATEGORY_SQL = counting(
    """
SELECT coalesce(p.id, c.id) AS id, coalesce(p.name, c.name) AS name,
       coalesce(p.color, c.color) AS color, sum(s.base_total) AS total
FROM transaction_summaries s
JOIN categories c ON c.org_id = s.org_id AND c.id = s.category_id
LEFT JOIN categories p ON p.org_id = c.org_id AND p.id = c.parent_id
WHERE s.org_id = :org AND s.kind = :kind AND {counted}
  AND s.month >= :start AND s.month < :end{scope}
GROUP BY 1, 2, 3
ORDER BY total DESC, name
""",
    SUMMARIES,
)


def by_category(
    org_id: int, start: date, end: date, kind: str = "expense", own_user: int | None = None
) -> list[dict[str, Any]]:
    """Totals per top-level category (children roll up into their parent), [start, end):
    whole months, as summaries hold them."""
    if start.day != 1 or end.day != 1:
        raise ValueError("the dashboard's categories are summed over whole months")
    params = {"org": org_id, "kind": kind, "start": start, "end": end, "own": own_user}
    rows = prepared.read(BY_CATEGORY_SQL.format(scope=_scope(own_user)), params)
    return [row._asdict() for row in rows]


def monthly(
    org_id: int, today: date, months: int = 12, own_user: int | None = None
) -> list[dict[str, Any]]:
    """Income and expense per month for the last `months` months, this month included (the
    portal's series, computed one way for both)."""
    first = today.replace(day=1) - relativedelta(months=months - 1)
    return analytics.monthly(org_id, first, today, own_user=own_user)


# The two charts' series in one statement: this month's categories (BY_CATEGORY_SQL) and the
# last months' income and expense (analytics.MONTHLY_SQL), each row tagged with its part and
# its place in that query's own order. Both end at the end of this month (`:end`).
_CHARTS = """
SELECT 'category' AS part, row_number() OVER (ORDER BY c.total DESC, c.name) AS ord,
       c.id, c.name, c.color, c.total, NULL::date AS month, NULL::numeric AS income,
       NULL::numeric AS expense
FROM ({by_category}) AS c
UNION ALL
SELECT 'month', row_number() OVER (ORDER BY m.month), NULL, NULL, NULL, NULL,
       m.month, m.income, m.expense
FROM ({monthly}) AS m
ORDER BY part, ord
"""


def charts(
    org_id: int, today: date, months: int = 12, own_user: int | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """`by_category` of this month's expenses and `monthly` over `months` months, as each
    returns them, in one statement (a round trip less on every view of the dashboard)."""
    month = today.replace(day=1)
    first = month - relativedelta(months=months - 1)
    sql = _CHARTS.format(
        by_category=BY_CATEGORY_SQL.format(scope=_scope(own_user)),
        monthly=analytics.MONTHLY_SQL.format(where=analytics.monthly_where(own_user)),
    )
    params = {
        "org": org_id,
        "own": own_user,
        "kind": "expense",
        "start": month,
        "end": month + relativedelta(months=1),
        "lead": first - relativedelta(months=2),  # the averages' two months before `first`
        "last": month,
    }
    spending, series = [], []
    for row in prepared.read(sql, params).mappings():
        if row["part"] == "category":
            spending.append({key: row[key] for key in ("id", "name", "color", "total")})
        elif row["month"] >= first:
            series.append({key: row[key] for key in ("month", "income", "expense")})
    return spending, series
