"""Template filters: money in the currency's own format, dates in the user's number and date
format (their `locale`; the interface itself is English)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from babel.dates import format_date
from flask import Flask
from flask_security import current_user

from app import money


def _locale() -> str:
    return current_user.locale if current_user and current_user.is_authenticated else "en"


def _money(amount: Decimal | None, currency: str) -> str:
    return money.display(amount, currency, _locale())


def _day(value: date | None) -> str:
    """A calendar day for reading ("Mar 31, 2026", "31.03.2026"); forms keep ISO dates."""
    return "" if value is None else format_date(value, "medium", locale=_locale() or "en")


def init_app(app: Flask) -> None:
    app.add_template_filter(_money, "money")
    app.add_template_filter(_day, "day")
