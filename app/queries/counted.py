"""What counts in the books: the one rule for which transactions figures and reports sum.

Today every recorded transaction is `posted`. The approvals work (issue 14) adds statuses
(pending, rejected, approved); it narrows this one place, and every report, total and
footnote that calls it follows. Lists and exports of the filtered list show every status;
reports count only these and name the rest in a footnote (`not_counted`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement

from app.models import Transaction

COUNTED_STATUSES: tuple[str, ...] = ("posted",)
# The same rule for hand-written SQL over `transactions t`.
COUNTED_SQL = "t.status IN ('posted')"


def counted(table: Any = Transaction) -> ColumnElement[bool]:
    """The condition a transaction must meet to be summed in figures and reports."""
    return table.status.in_(COUNTED_STATUSES)


def not_counted(table: Any = Transaction) -> ColumnElement[bool]:
    return table.status.not_in(COUNTED_STATUSES)
