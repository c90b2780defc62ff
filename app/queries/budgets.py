"""Budget against actual, per period, in one SQL aggregate (web, API, alerts and dashboard).

A period is a calendar month or the org's financial year (from its fiscal_year_start).
Spending is the base amounts of posted expenses dated in the period, in the budget's category
and that category's children (categories nest one level), or all expenses for a budget without
a category. With rollover, what the previous period left unspent of its own amount (never less
than zero, not chained further back) is added to this period's amount.

Both kinds of period start on a month's first day (a financial year starts on its month's),
so spending is summed from `transaction_summaries` by month (migration 0011s), never from the
history's rows: the page costs the same at a thousand transactions as at a million.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app import clock
from app.models import Budget
from app.queries import prepared
from app.queries.counted import SUMMARIES, counting
from app.queries.org_day import time_zone_of, today_of

PERIODS_SQL = counting(
    """
WITH periods AS (
  SELECT b.org_id, b.id AS budget_id, b.amount, b.rollover, b.thresholds, s.n, u.covered,
         (date_trunc(u.unit, CAST(:today AS date) - u.shift) + u.shift
          - s.n * u.step)::date AS period_start,
         (date_trunc(u.unit, CAST(:today AS date) - u.shift) + u.shift
          - (s.n - 1) * u.step)::date AS period_end
  FROM budgets b
  JOIN organisations o ON o.id = b.org_id
  CROSS JOIN LATERAL (
    SELECT CASE b.period WHEN 'monthly' THEN 'month' ELSE 'year' END AS unit,
           CASE b.period WHEN 'monthly' THEN interval '1 month' ELSE interval '1 year' END AS step,
           -- An annual budget's year is the org's financial year (fiscal_year_start).
           CASE b.period WHEN 'monthly' THEN interval '0'
                ELSE make_interval(months => o.fiscal_year_start - 1) END AS shift,
           -- The budget's category and its children; NULL: every expense counts.
           CASE WHEN b.category_id IS NOT NULL THEN array(
             SELECT c.id FROM categories c
             WHERE c.org_id = b.org_id AND (c.id = b.category_id OR c.parent_id = b.category_id)
           ) END AS covered
  ) u
  CROSS JOIN generate_series(0, :back) AS s(n)
  WHERE b.org_id = :org{one}
), spent AS (
  -- Each period's sum found by the summaries' key (org, month): a range of its months.
  SELECT p.budget_id, p.n, coalesce((
    SELECT sum(s.base_total) FROM transaction_summaries s
    WHERE s.org_id = p.org_id AND s.month >= p.period_start AND s.month < p.period_end
      AND s.kind = 'expense' AND {counted}{own}
      AND (p.covered IS NULL OR s.category_id = ANY (p.covered))
  ), 0) AS spent
  FROM periods p
)
SELECT p.budget_id, p.period_start, p.period_end, p.amount, p.thresholds, s.spent,
       CASE WHEN p.rollover THEN greatest(p.amount - coalesce(prev.spent, p.amount), 0)
            ELSE 0 END AS carried
FROM periods p
JOIN spent s ON s.budget_id = p.budget_id AND s.n = p.n
LEFT JOIN spent prev ON prev.budget_id = p.budget_id AND prev.n = p.n + 1
WHERE p.n < :count
ORDER BY p.budget_id, p.n
""",
    SUMMARIES,
)


@dataclass(frozen=True)
class Actual:
    budget_id: int
    period_start: date
    period_end: date  # exclusive
    amount: Decimal
    carried: Decimal
    spent: Decimal
    thresholds: list[int]

    @property
    def available(self) -> Decimal:
        return self.amount + self.carried

    @property
    def remaining(self) -> Decimal:
        return self.available - self.spent

    @property
    def percent(self) -> Decimal:
        return (self.spent * 100 / self.available).quantize(Decimal("0.1"))

    @property
    def state(self) -> str:
        """ok, near (past the lowest threshold) or over (all of it spent, or more)."""
        if self.spent >= self.available:
            return "over"
        if self.spent * 100 >= self.available * min(self.thresholds):
            return "near"
        return "ok"

    def crossed(self) -> list[int]:
        """The thresholds (percent) this period's spending has reached."""
        return [t for t in sorted(self.thresholds) if self.spent * 100 >= self.available * t]


def actuals(
    org_id: int,
    on: date | None = None,
    *,
    periods: int = 1,
    budget_id: int | None = None,
    own_user: int | None = None,
) -> list[Actual]:
    """Budget vs actual for the period containing `on` and the `periods - 1` before it.

    `own_user` counts only what that member recorded (members see their own items).
    """
    sql, params = _periods(org_id, on, periods, budget_id, own_user)
    return [Actual(**row._asdict()) for row in prepared.read(sql, params)]


def _periods(
    org_id: int, on: date | None, periods: int, budget_id: int | None, own_user: int | None
) -> tuple[str, dict[str, object]]:
    one = "" if budget_id is None else " AND b.id = :budget"
    own = "" if own_user is None else " AND s.created_by = :own"
    params = {
        "org": org_id,
        "today": on or today_of(org_id),  # the org's today, in its zone
        "back": periods,  # one more than shown: the oldest shown period's rollover
        "count": periods,
        "budget": budget_id,
        "own": own_user,
    }
    return PERIODS_SQL.format(one=one, own=own), params


def current(org_id: int, on: date | None = None, own_user: int | None = None) -> dict[int, Actual]:
    """This period's figures for every budget of the org, by budget id."""
    return {a.budget_id: a for a in actuals(org_id, on, own_user=own_user)}


@dataclass(frozen=True)
class Listed:
    """What the budget pages show of a budget beside its figures."""

    id: int
    name: str
    period: str
    amount: Decimal
    rollover: bool
    thresholds: list[int]


# The budgets, in the order `app.services.budgets.budgets.budgets` lists them (name, then id),
# each with this period's figures: one statement where the pages ran two.
_LISTED = """
SELECT b.name, b.period, b.rollover, a.*
FROM ({periods}) AS a JOIN budgets b ON b.org_id = :org AND b.id = a.budget_id
ORDER BY b.name, b.id
"""


def current_listed(
    org_id: int, on: date, own_user: int | None = None
) -> list[tuple[Listed, Actual]]:
    """Every budget of the org with this period's figures (`current`), in the list's order."""
    periods, params = _periods(org_id, on, 1, None, own_user)
    found = []
    for row in prepared.read(_LISTED.format(periods=periods), params):
        values = row._asdict()
        name, period, rollover = values.pop("name"), values.pop("period"), values.pop("rollover")
        actual = Actual(**values)
        listed = Listed(actual.budget_id, name, period, actual.amount, rollover, actual.thresholds)
        found.append((listed, actual))
    return found


def history(org_id: int, budget: Budget, periods: int, own_user: int | None = None) -> list[Actual]:
    """The last `periods` periods of one budget, newest first, from the period it was created
    in: months before the budget existed are not shown as "0 of its amount"."""
    first_day = clock.local(budget.created_at, time_zone_of(org_id)).date()
    found = actuals(org_id, periods=periods, budget_id=budget.id, own_user=own_user)
    return [a for a in found if a.period_end > first_day]
