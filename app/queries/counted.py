"""What counts in a figure: the one filter every sum over transactions goes through.

Only transactions that are posted *and* approved count in balances, the dashboard, budget
actuals and alerts, the portal, reports and exports. A draft, or an expense awaiting approval,
rejected or returned, counts nowhere; once approved it counts everywhere at once. Pending
expenses are shown on their own (`app.queries.approvals.pending`), never inside a figure.

SQL text marks the place with `{counted}` and passes the statement through `counting()`;
SQLAlchemy queries use `counts()`. A new figure uses one of the two, never its own condition.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_

from app.models import Transaction

COUNTED_STATES = ("approved",)
# The condition on a transaction aliased `t`.
COUNTED = "t.status = 'posted' AND t.approval_state = 'approved'"
MARK = "{counted}"


def counting(sql: str) -> str:
    """`sql` with each `{counted}` replaced by the condition; other placeholders stay."""
    if MARK not in sql:
        raise ValueError("a figure's SQL names {counted} where its transactions are filtered")
    return sql.replace(MARK, COUNTED)


def counts(model: Any = Transaction) -> ColumnElement[bool]:
    """The same condition for an ORM query over `model` (Transaction or an alias of it)."""
    return and_(model.status == "posted", model.approval_state == "approved")
