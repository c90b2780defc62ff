"""A user's own settings: display name, default org, locale."""

from __future__ import annotations

from app.errors import Invalid
from app.extensions import db
from app.models import User
from app.plain_text import one_line_problem
from app.services.orgs import orgs_of

LOCALES = {
    "en": "English (US)",
    "en_GB": "English (UK)",
    "de_DE": "Deutsch",
    "fr_FR": "Français",
    "es_ES": "Español",
    "nl_NL": "Nederlands",
}


def update_profile(user: User, name: str, default_org_id: int | None, locale: str) -> None:
    errors = {}
    name = (name or "").strip()
    if len(name) > 120:
        errors["name"] = "Keep your name under 120 characters."
    elif problem := one_line_problem(name, "name"):
        errors["name"] = problem
    if locale not in LOCALES:
        errors["locale"] = "Choose a language from the list."
    if default_org_id and default_org_id not in {org.id for org, _ in orgs_of(user.id)}:
        errors["default_org"] = "Choose one of your organisations."
    if errors:
        raise Invalid(errors)
    user.name = name
    user.locale = locale
    user.default_org_id = default_org_id or None
    db.session.commit()
