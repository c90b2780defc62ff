"""Template filters: money in the currency's own format, dates in the user's number and date
format (their `locale`; the interface itself is English)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache

from babel.dates import format_date
from flask import Flask, g
from flask_security import current_user
from markupsafe import Markup, escape

from app import money
from app.web.forms import humanise


def _locale() -> str:
    """The signed-in user's locale, looked up once a request: a page of 50 rows formats 100
    amounts and dates, and each look through `current_user` costs more than the formatting."""
    locale = g.get("_display_locale")
    if locale is None:
        user = current_user
        locale = (user.locale if user and user.is_authenticated else "en") or "en"
        g._display_locale = locale
    return locale


def _money(amount: Decimal | None, currency: str) -> str:
    return money.display(amount, currency, _locale())


_SIGNED = {
    "income": (Markup('<span class="amount text-nowrap text-success">+'), Markup("</span>")),
    "expense": (Markup('<span class="amount text-nowrap text-danger">\u2212'), Markup("</span>")),
}


def signed(kind: str, amount: Decimal | None, currency: str) -> Markup:
    """An amount with its direction: a green plus for income, a red minus sign for an expense.
    A function, not a macro: a list of 50 rows calls it 50 times, and a macro call (or
    `Markup.format`, which runs Python's string formatter) costs more than the formatting."""
    before, after = _SIGNED["income" if kind == "income" else "expense"]
    return before + escape(_money(amount, currency)) + after  # Markup + Markup: no re-escape


def _day(value: date | None) -> str:
    """A calendar day for reading ("Mar 31, 2026", "31.03.2026"); forms keep ISO dates."""
    return "" if value is None else _medium_date(value, _locale())


@lru_cache(maxsize=4096)
def _medium_date(value: date, locale: str) -> str:
    # A list's rows share few days; Babel's formatting is pure and costs ~0.1 ms a call.
    return format_date(value, "medium", locale=locale)


def _rate(rate: Decimal | None) -> str:
    """An exchange rate as stored, without trailing zeros or exponent (1.0850, not 1.085E0)."""
    return "" if rate is None else f"{rate.normalize():f}"


def init_app(app: Flask) -> None:
    app.add_template_filter(_money, "money")
    app.add_template_filter(_day, "day")
    app.add_template_filter(_rate, "rate")
    app.add_template_filter(humanise, "field_name")
    app.add_template_global(signed)
