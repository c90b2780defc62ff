"""The org's financial year: it starts on the first of `organisations.fiscal_year_start`
(1 = January, 4 = April). "This year", "this quarter", annual budgets and reports follow it."""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta

from app.extensions import db
from app.models import Organisation


def fiscal_start_of(org_id: int) -> int:
    found = db.session.scalar(
        db.select(Organisation.fiscal_year_start).where(Organisation.id == org_id)
    )
    return int(found or 1)


def year_start(day: date, fiscal_start: int = 1) -> date:
    """The first day of the financial year that contains `day`."""
    start = date(day.year, fiscal_start, 1)
    return start if day >= start else date(day.year - 1, fiscal_start, 1)


def quarter_start(day: date, fiscal_start: int = 1) -> date:
    """The first day of the financial quarter that contains `day` (quarters of the
    financial year: with an April start, Q1 is April to June)."""
    first = year_start(day, fiscal_start)
    months = (day.year - first.year) * 12 + day.month - first.month
    return first + relativedelta(months=months // 3 * 3)


def year_label(start: date, fiscal_start: int = 1) -> str:
    """2026 for a calendar year; FY 2026/27 for one from April 2026 to March 2027."""
    if fiscal_start == 1:
        return str(start.year)
    return f"FY {start.year}/{(start.year + 1) % 100:02d}"
