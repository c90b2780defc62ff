"""Template filters: money in the currency's own format, dates in the user's number and date
format (their `locale`; the interface itself is English)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from babel.dates import format_date
from flask import Flask
from flask_security import current_user

from app import money
from app.web.forms import humanise


def _locale() -> str:
    return current_user.locale if current_user and current_user.is_authenticated else "en"


def _money(amount: Decimal | None, currency: str) -> str:
    return money.display(amount, currency, _locale())


def _day(value: date | None) -> str:
    """A calendar day for reading ("Mar 31, 2026", "31.03.2026"); forms keep ISO dates."""
    return "" if value is None else format_date(value, "medium", locale=_locale() or "en")


def _rate(rate: Decimal | None) -> str:
    """An exchange rate as stored, without trailing zeros or exponent (1.0850, not 1.085E0)."""
    return "" if rate is None else f"{rate.normalize():f}"


def init_app(app: Flask) -> None:
    app.add_template_filter(_money, "money")
    app.add_template_filter(_day, "day")
    app.add_template_filter(_rate, "rate")
    app.add_template_filter(humanise, "field_name")
