"""A user's own settings: display name, default org, number and date format (`locale`)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal

from app.errors import Invalid
from app.extensions import db
from app.models import User
from app.plain_text import one_line_problem
from app.services.orgs.orgs import orgs_of

# The interface is in English; `locale` only decides how numbers and dates are written
# (Babel), so each choice is named by what it shows, with the region it comes from.
FORMATS = ("en", "en_GB", "de_DE", "fr_FR", "es_ES", "nl_NL")
_EXAMPLE_DAY = date(2026, 3, 31)


def _format_label(code: str) -> str:
    number = format_decimal(Decimal("1234.56"), locale=code)
    day = format_date(_EXAMPLE_DAY, "medium", locale=code)
    region = Locale.parse("en_US" if code == "en" else code).get_territory_name("en")
    return f"{number} · {day} ({region})"


LOCALES = {code: _format_label(code) for code in FORMATS}


def update_profile(user: User, name: str, default_org_id: int | None, locale: str) -> None:
    errors = {}
    name = (name or "").strip()
    if len(name) > 120:
        errors["name"] = "Keep your name under 120 characters."
    elif problem := one_line_problem(name, "name"):
        errors["name"] = problem
    if locale not in LOCALES:
        errors["locale"] = "Choose a number and date format from the list."
    if default_org_id and default_org_id not in {org.id for org, _ in orgs_of(user.id)}:
        errors["default_org"] = "Choose one of your organisations."
    if errors:
        raise Invalid(errors)
    user.name = name
    user.locale = locale
    user.default_org_id = default_org_id or None
    db.session.commit()
