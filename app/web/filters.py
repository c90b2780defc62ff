"""Template filters: money is shown in the currency's own format and the user's locale."""

from __future__ import annotations

from decimal import Decimal

from flask import Flask
from flask_security import current_user

from app import money
from app.web.forms import humanise


def _money(amount: Decimal | None, currency: str) -> str:
    locale = current_user.locale if current_user and current_user.is_authenticated else "en"
    return money.display(amount, currency, locale)


def _rate(rate: Decimal | None) -> str:
    """An exchange rate as stored, without trailing zeros or exponent (1.0850, not 1.085E0)."""
    return "" if rate is None else f"{rate.normalize():f}"


def init_app(app: Flask) -> None:
    app.add_template_filter(_money, "money")
    app.add_template_filter(_rate, "rate")
    app.add_template_filter(humanise, "field_name")
