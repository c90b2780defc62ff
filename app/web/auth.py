"""Flask-Security-Too wiring: the user datastore, the forms, sessions and throttles."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_security import RegisterFormV2, SQLAlchemyUserDatastore, current_user, user_registered
from wtforms import StringField
from wtforms.validators import Length, Optional

from app.extensions import db, security
from app.models import SecurityRole, User
from app.services import orgs
from app.services.recovery_codes import DigestRecoveryCodes
from app.web import account_forms, sessions, throttle
from app.web.login_form import OutlayLoginForm
from app.web.passwords import OutlayPasswordUtil
from tenants.context import set_tenant


class OutlayRegisterForm(RegisterFormV2):
    name = StringField("Your name", validators=[Optional(), Length(max=120)])
    organisation = StringField(
        "Organisation name",
        validators=[Optional(), Length(max=120)],
        description="Your first organisation; you can invite your team once you're in.",
    )


def _create_first_org(_app: Flask, user: User, form_data: dict[str, Any], **_kw: Any) -> None:
    # Flask-Security commits the new user after the view; the org rides in the same commit.
    name = (form_data.get("organisation") or "").strip()
    if not name:
        name = f"{user.name or user.email.split('@')[0]}'s organisation"
    orgs.create_org(user, name, commit=False)


def init_app(app: Flask) -> None:
    datastore = SQLAlchemyUserDatastore(db, User, SecurityRole)
    # --- auth: stored password and recovery-code rules (Flask-Security takes these classes
    # at construction only; the shared `security` object is built before any app exists).
    security._password_util_cls = OutlayPasswordUtil
    security._mf_recovery_codes_util_cls = DigestRecoveryCodes
    security.init_app(
        app,
        datastore,
        register_form=OutlayRegisterForm,
        login_form=OutlayLoginForm,
        # /reset and /confirm: one mail job per request, known address or not (10.5).
        forgot_password_form=account_forms.QueuedForgotPasswordForm,
        send_confirmation_form=account_forms.QueuedSendConfirmationForm,
    )
    user_registered.connect(_create_first_org, app)
    # --- auth: revocable sessions, no auth tokens on the web, throttles.
    sessions.init_app(app)
    throttle.init_app(app)

    @app.before_request
    def remember_user_for_rls() -> None:
        # app.user_id lets the database answer "which orgs am I in" for this user only.
        if current_user and current_user.is_authenticated:
            set_tenant(db.session, None, current_user.id)
