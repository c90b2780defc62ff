"""Flask-Security-Too wiring: the user datastore, the forms, sessions and throttles."""

from __future__ import annotations

from flask import Flask
from flask_security import current_user

from app.extensions import db, security
from app.lanes import outside_org_routes
from app.models import SecurityRole, User
from app.services.accounts.recovery_codes import DigestRecoveryCodes
from app.web import account_forms, sessions, signup, throttle
from app.web.login_form import OutlayLoginForm
from app.web.passwords import OutlayPasswordUtil
from app.web.user_store import OutlayUserDatastore
from tenants.context import set_tenant


def init_app(app: Flask) -> None:
    datastore = OutlayUserDatastore(db, User, SecurityRole)
    # Stored password and recovery-code rules: Flask-Security takes these classes at
    # construction only, and the shared `security` object is built before any app exists.
    security._password_util_cls = OutlayPasswordUtil
    security._mf_recovery_codes_util_cls = DigestRecoveryCodes
    security.init_app(
        app,
        datastore,
        register_form=signup.OutlayRegisterForm,
        login_form=OutlayLoginForm,
        # /reset and /confirm: one mail job per request, known address or not (10.5).
        forgot_password_form=account_forms.QueuedForgotPasswordForm,
        send_confirmation_form=account_forms.QueuedSendConfirmationForm,
    )
    signup.init_app(app)  # what registration and confirmation do next (app/web/signup.py)
    # Revocable sessions, no auth tokens on the web, throttles.
    sessions.init_app(app)
    throttle.init_app(app)

    @app.before_request
    @outside_org_routes
    def remember_user_for_rls() -> None:
        # app.user_id lets the database answer "which orgs am I in" for this user only. An
        # org route sets it with the org, in the statement that enters the org (`@requires`):
        # a setting here would be a round trip of its own, overwritten a moment later.
        if current_user and current_user.is_authenticated:
            set_tenant(db.session, None, current_user.id)
