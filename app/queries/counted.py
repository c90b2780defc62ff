"""What counts in a figure: the one filter every sum over transactions goes through.

Only transactions that are posted *and* approved count in balances, the dashboard, budget
actuals and alerts, the portal, reports and exports. A draft, or an expense awaiting approval,
rejected or returned, counts nowhere; once approved it counts everywhere at once. Pending
expenses are shown on their own (`app.queries.approvals.pending`), never inside a figure.
Lists and exports of the filtered list show every state; reports count only these and name
the rest in a footnote (`not_counted`).

SQL text marks the place with `{counted}` and passes the statement through `counting()`
(or formats `COUNTED_SQL` in itself); SQLAlchemy queries use `counted()`. A new figure uses
one of them, never its own condition. Figures read from `transaction_summaries` (whose key
keeps both state columns, migration 0011s) go through `counting(sql, SUMMARIES)`: the same
condition on the summary rows, aliased `s`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, not_

from app.models import Transaction

COUNTED_STATES = ("approved",)
ROWS, SUMMARIES = "t", "s"  # the aliases: transactions, transaction_summaries
_CONDITION = "{alias}.status = 'posted' AND {alias}.approval_state = 'approved'"
# The condition on a transaction aliased `t`.
COUNTED_SQL = _CONDITION.format(alias=ROWS)
MARK = "{counted}"


def counting(sql: str, alias: str = ROWS) -> str:
    """`sql` with each `{counted}` replaced by the condition on `alias` (transactions `t`, or
    summaries `s`: both carry status and approval_state); other placeholders stay."""
    if MARK not in sql:
        raise ValueError("a figure's SQL names {counted} where its transactions are filtered")
    if alias not in (ROWS, SUMMARIES):
        raise ValueError(f"counted figures read transactions ({ROWS}) or summaries ({SUMMARIES})")
    return sql.replace(MARK, _CONDITION.format(alias=alias))


def counted(table: Any = Transaction) -> ColumnElement[bool]:
    """The same condition for an ORM query over `table` (Transaction or an alias of it)."""
    return and_(table.status == "posted", table.approval_state.in_(COUNTED_STATES))


def not_counted(table: Any = Transaction) -> ColumnElement[bool]:
    return not_(counted(table))
