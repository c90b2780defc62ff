"""The sign-up form and what registration and confirmation do next.

A newcomer names their first org, its base currency (defaulting from the browser's language,
`Accept-Language`) and its time zone (the browser's, set by `static/signup.js`). A person who
follows "Create an account" from an invitation (`/register?invitation=<token>`) gets the
address locked to the invited one, no org questions, no org of their own, and after confirming
lands in the inviting org with the invited role (app/services/orgs/joining.py).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from flask_security import RegisterFormV2, user_confirmed, user_registered
from wtforms import HiddenField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, ValidationError

from app import clock
from app.models import User
from app.plain_text import one_line_problem
from app.services.orgs import joining, orgs
from app.web.forms import CURRENCY_CHOICES, ZONE_HELP, zone_choices


def _one_line(_form: object, field: StringField) -> None:
    label = "organisation name" if field.name == "organisation" else "name"
    if problem := one_line_problem(field.data or "", label):
        raise ValidationError(problem)


def _select(pairs: list[tuple[str, str]]) -> list[SelectChoice]:
    # WTForms 3.3 deprecates (value, label) tuples; the lists stay pairs for the templates.
    return [SelectChoice(value, label) for value, label in pairs]


class OutlayRegisterForm(RegisterFormV2):
    name = StringField("Your name", validators=[Optional(), Length(max=120), _one_line])
    organisation = StringField(
        "Organisation name",
        validators=[Optional(), Length(max=120), _one_line],
        description="Your first organisation; you can invite your team once you're in.",
    )
    base_currency = SelectField(
        "Base currency",
        choices=_select(CURRENCY_CHOICES),
        validate_choice=False,  # checked by the orgs service, with a clear message
        description="Reports add up in this currency. It can change until the first entry.",
    )
    time_zone = SelectField(
        "Time zone",
        choices=[],
        validate_choice=False,  # checked against the zone list below, with a clear message
        description=ZONE_HELP,
    )
    invitation = HiddenField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.invitation.data and request:
            self.invitation.data = request.args.get("invitation", "")
        if self.invitation.data:
            self._for_invitation()
            return
        self.time_zone.choices = _select(zone_choices())
        if not self.base_currency.raw_data:  # the page is new: guess from the browser
            self.base_currency.data = orgs.currency_for_language(_browser_language())
        if not self.time_zone.raw_data:  # static/signup.js picks the browser's zone
            self.time_zone.data = clock.DEFAULT_ZONE
            self.time_zone.render_kw = {"data-browser-zone": ""}

    def _for_invitation(self) -> None:
        # The invited address, locked; no questions about an org they are not creating.
        for field in ("organisation", "base_currency", "time_zone"):
            delattr(self, field)
        found = joining.invitation_email(self.invitation.data)
        if found is not None:
            org, email = found
            if not self.email.raw_data:  # a fresh page; a posted address is checked instead
                self.email.data = email
            self.email.render_kw = {**(self.email.render_kw or {}), "readonly": True}
            self.email.description = (
                f"You are joining {org.name}; the invitation is for this address."
            )

    def validate(self, **kwargs: Any) -> bool:
        valid = super().validate(**kwargs)
        if self.invitation.data:
            problem = joining.email_mismatch(self.invitation.data, self.email.data or "")
            if problem:
                self.email.errors = [*self.email.errors, problem]
                valid = False
            return valid
        problems = orgs.currency_and_zone_errors(
            self.base_currency.data or "", self.time_zone.data or ""
        )
        for field in ("base_currency", "time_zone"):
            if field in problems:
                getattr(self, field).errors = [*getattr(self, field).errors, problems[field]]
                valid = False
        return valid


def _browser_language() -> str | None:
    return request.accept_languages.best if request else None


def _after_registration(_app: Flask, user: User, form_data: dict[str, Any], **_kw: Any) -> None:
    # Flask-Security commits the new user after the view; the org rides in the same commit.
    if token := form_data.get("invitation"):
        joining.hold_place(user, token)
        return
    name = (form_data.get("organisation") or "").strip()
    if not name:
        name = f"{user.name or user.email.split('@')[0]}'s organisation"
    orgs.create_org(
        user,
        name,
        form_data.get("base_currency") or "EUR",
        form_data.get("time_zone") or clock.DEFAULT_ZONE,
        commit=False,
    )


def _after_confirmation(_app: Flask, user: User, **_kw: Any) -> None:
    # Flask-Security commits after the confirm view; the membership rides in that commit.
    joining.join_after_confirmation(user)


def init_app(app: Flask) -> None:
    user_registered.connect(_after_registration, app)
    user_confirmed.connect(_after_confirmation, app)
