"""The analytics portal's figures: each one SQL aggregate returning a few small rows.

Every function takes the org explicitly and runs under the caller's tenant context (RLS).
`own_user` narrows a figure to what one member recorded (members see their own items);
`kind` and `category` (a category and its children) are the portal's filters. Date ranges are
half-open: [start, end). Only what `app.queries.counted` counts is summed, as on the dashboard.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import text

from app.extensions import db
from app.queries.counted import ROWS, SUMMARIES, counting

ZERO = Decimal("0.0000")
EXPLORER_LIMIT = 10_000


def _where(
    own_user: int | None, kind: str = "", category: int | None = None, alias: str = ROWS
) -> str:
    """The filters on transactions (`t`) or on summaries (`s`), which share these columns."""
    sql = ""
    if own_user is not None:
        sql += f" AND {alias}.created_by = :own"
    if kind:
        sql += f" AND {alias}.kind = :kind"
    if category is not None:
        sql += (
            f" AND {alias}.category_id IN (SELECT f.id FROM categories f"  # noqa: S608 (an alias)
            " WHERE f.org_id = :org AND (f.id = :cat OR f.parent_id = :cat))"
        )
    return sql


def _rows(sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    return [row._asdict() for row in db.session.execute(text(sql), params)]


def _categorised(
    sql: str,
    org_id: int,
    start: date,
    end: date,
    kind: str,
    own_user: int | None,
    category: int | None,
) -> list[dict[str, Any]]:
    """Run a CATEGORISED query; `kind` is in its WHERE already, so the filter skips it."""
    params = _params(org_id, own_user, kind, category, start=start, end=end)
    return _rows(sql.format(where=_where(own_user, "", category)), params)


def _params(org_id: int, own_user: int | None, kind: str, category: int | None, **more: Any):
    return {"org": org_id, "own": own_user, "kind": kind, "cat": category, **more}


# Every change the app makes to an org's data writes an audit entry in the same commit, and a
# bulk load (outlay demo) adds transactions: the newest id of each moves on any change. Both are
# index lookups, unlike counting or max(updated_at) over a big org's transactions on each rerun.
VERSION_SQL = """
SELECT (SELECT max(id) FROM audit_log WHERE org_id = :org) AS audited,
       (SELECT max(id) FROM transactions WHERE org_id = :org) AS last_id
"""


def data_version(org_id: int) -> str:
    """Different whenever the org's transactions, budgets, rules or categories change (an
    insert, an edit or a delete): the key that expires every cached figure."""
    row = db.session.execute(text(VERSION_SQL), {"org": org_id}).one()
    return "|".join(str(v) for v in row)


SEAT_SQL = """
SELECT o.name, o.slug, o.base_currency, o.time_zone, m.role
FROM organisations o
JOIN memberships m ON m.org_id = o.id AND m.user_id = :user
WHERE o.id = :org AND (o.deletion_due_at IS NULL OR m.role = 'owner')  -- closing: owners only
"""


def seat(org_id: int, user_id: int) -> dict[str, Any] | None:
    """The org's name, currency and time zone and the user's role in it now; None once they
    left."""
    row = db.session.execute(text(SEAT_SQL), {"org": org_id, "user": user_id}).first()
    return None if row is None else row._asdict()


TOTALS_SQL = counting("""
SELECT coalesce(sum(t.base_amount) FILTER (WHERE t.kind = 'income'), 0) AS income,
       coalesce(sum(t.base_amount) FILTER (WHERE t.kind = 'expense'), 0) AS expense,
       count(*) AS count
FROM transactions t
WHERE t.org_id = :org AND {counted} AND t.date >= :start AND t.date < :end{where}
""")


def totals(
    org_id: int,
    start: date,
    end: date,
    *,
    own_user: int | None = None,
    kind: str = "",
    category: int | None = None,
) -> dict[str, Any]:
    """Income, expense and the number of posted transactions in [start, end)."""
    sql = TOTALS_SQL.format(where=_where(own_user, kind, category))
    params = _params(org_id, own_user, kind, category, start=start, end=end)
    return db.session.execute(text(sql), params).one()._asdict()


# Counted entries of one kind in [start, end), each with its category and that one's parent.
CATEGORISED = """FROM transactions t
JOIN categories c ON c.org_id = t.org_id AND c.id = t.category_id
LEFT JOIN categories p ON p.org_id = c.org_id AND p.id = c.parent_id
WHERE t.org_id = :org AND t.kind = :kind AND {counted}
  AND t.date >= :start AND t.date < :end{where}"""
BY_CATEGORY_SQL = counting(f"""
SELECT c.id, c.name, c.color, p.id AS parent_id, p.name AS parent_name,
       p.color AS parent_color, sum(t.base_amount) AS total
{CATEGORISED}
GROUP BY c.id, c.name, c.color, p.id, p.name, p.color
ORDER BY total DESC, c.name
""")


def by_category(
    org_id: int,
    start: date,
    end: date,
    kind: str = "expense",
    *,
    own_user: int | None = None,
    category: int | None = None,
) -> list[dict[str, Any]]:
    """Totals per category with its parent (None for a top-level one), largest first."""
    return _categorised(BY_CATEGORY_SQL, org_id, start, end, kind, own_user, category)


# From the summaries (whole months; migration 0011s): flat in the org's size.
MONTHLY_SQL = counting(
    """
WITH months AS (
  SELECT generate_series(CAST(:lead AS date), CAST(:last AS date), interval '1 month')::date
    AS month
), sums AS (
  SELECT s.month,
         sum(s.base_total) FILTER (WHERE s.kind = 'income') AS income,
         sum(s.base_total) FILTER (WHERE s.kind = 'expense') AS expense
  FROM transaction_summaries s
  WHERE s.org_id = :org AND {counted} AND s.month >= :lead AND s.month < :end{where}
  GROUP BY 1
), series AS (
  SELECT m.month, coalesce(s.income, 0) AS income, coalesce(s.expense, 0) AS expense
  FROM months m LEFT JOIN sums s USING (month)
)
SELECT month, income, expense,
       avg(income) OVER w AS income_avg3, avg(expense) OVER w AS expense_avg3
FROM series
WINDOW w AS (ORDER BY month ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)
ORDER BY month
""",
    SUMMARIES,
)


def monthly_where(own_user: int | None, kind: str = "", category: int | None = None) -> str:
    """MONTHLY_SQL's `{where}`."""
    return _where(own_user, kind, category, SUMMARIES)


def monthly(
    org_id: int,
    first: date,
    last: date,
    *,
    own_user: int | None = None,
    kind: str = "",
    category: int | None = None,
) -> list[dict[str, Any]]:
    """Income and expense per month from `first`'s month through `last`'s, with the rolling
    three-month averages (the two months before `first` feed the first averages)."""
    first, last = first.replace(day=1), last.replace(day=1)
    sql = MONTHLY_SQL.format(where=monthly_where(own_user, kind, category))
    params = _params(
        org_id,
        own_user,
        kind,
        category,
        lead=first - relativedelta(months=2),
        last=last,
        end=last + relativedelta(months=1),
    )
    return [r._asdict() for r in db.session.execute(text(sql), params) if r.month >= first]


MONTHLY_BY_CATEGORY_SQL = counting(f"""
SELECT date_trunc('month', t.date)::date AS month, coalesce(p.name, c.name) AS name,
       sum(t.base_amount) AS total
{CATEGORISED}
GROUP BY 1, 2
ORDER BY 1, 2
""")


def monthly_by_category(
    org_id: int,
    first: date,
    last: date,
    kind: str = "expense",
    *,
    category: int | None = None,
    own_user: int | None = None,
) -> list[dict[str, Any]]:
    """Per month and top-level category (children roll up), `first`'s month through `last`'s."""
    start, end = first.replace(day=1), last.replace(day=1) + relativedelta(months=1)
    return _categorised(MONTHLY_BY_CATEGORY_SQL, org_id, start, end, kind, own_user, category)


BALANCE_SQL = counting("""
SELECT coalesce(sum(CASE t.kind WHEN 'income' THEN t.base_amount ELSE -t.base_amount END)
         FILTER (WHERE t.date <= :on), 0) AS balance,
       coalesce(sum(t.base_amount) FILTER (WHERE t.kind = 'expense' AND t.date > :since
         AND t.date <= :on AND t.recurring_rule_id IS NULL), 0) AS spent
FROM transactions t
WHERE t.org_id = :org AND {counted}{where}
""")


def balance_and_spend(
    org_id: int, on: date, days: int = 90, *, own_user: int | None = None
) -> dict[str, Decimal]:
    """The balance on `on` (all posted entries up to it) and the expenses of the `days` days
    ending on it that no recurring rule posted (the rules' own occurrences are forecast
    one by one, so they are not counted twice)."""
    sql = BALANCE_SQL.format(where=_where(own_user))
    params = {"org": org_id, "own": own_user, "on": on, "since": on - relativedelta(days=days)}
    return db.session.execute(text(sql), params).one()._asdict()


CATEGORIES_SQL = """
SELECT c.id, c.kind, c.name, p.name AS parent_name
FROM categories c
LEFT JOIN categories p ON p.org_id = c.org_id AND p.id = c.parent_id
WHERE c.org_id = :org
ORDER BY c.kind, coalesce(p.name, c.name), p.name IS NOT NULL, c.name
"""


def categories(org_id: int) -> list[dict[str, Any]]:
    """Every category of the org (archived ones too: old entries use them), for the filters."""
    return _rows(CATEGORIES_SQL, {"org": org_id})


EXPLORER_SQL = counting("""
SELECT t.date, t.kind, t.description, c.name AS category, t.amount, t.currency,
       t.base_amount, t.status, array_to_string(t.tags, ', ') AS tags, u.email AS recorded_by,
       t.approval_state, ({counted}) AS counted
FROM transactions t
JOIN categories c ON c.org_id = t.org_id AND c.id = t.category_id
LEFT JOIN users u ON u.id = t.created_by
WHERE t.org_id = :org AND t.status <> 'trashed' AND t.date >= :start AND t.date < :end{where}
ORDER BY t.date DESC, t.id DESC
LIMIT :limit
""")


def explorer(
    org_id: int,
    start: date,
    end: date,
    *,
    limit: int = EXPLORER_LIMIT,
    own_user: int | None = None,
    kind: str = "",
    category: int | None = None,
) -> list[dict[str, Any]]:
    """The newest `limit` transactions in [start, end) (any status; `counted` says whether
    each counts in figures), with names."""
    sql = EXPLORER_SQL.format(where=_where(own_user, kind, category))
    params = _params(org_id, own_user, kind, category, start=start, end=end, limit=limit)
    return _rows(sql, params)


BUDGET_NAMES_SQL = """
SELECT b.id, b.name, b.period FROM budgets b WHERE b.org_id = :org ORDER BY b.name, b.id
"""


def budget_names(org_id: int) -> dict[int, dict[str, Any]]:
    rows = db.session.execute(text(BUDGET_NAMES_SQL), {"org": org_id})
    return {row.id: row._asdict() for row in rows}
