"""Flask-Security-Too wiring: the user datastore, the registration form, login throttling."""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_security import RegisterFormV2, current_user, user_registered
from wtforms import StringField
from wtforms.validators import Length, Optional, ValidationError

from app.extensions import db, security
from app.models import SecurityRole, User
from app.plain_text import one_line_problem
from app.services import orgs
from app.web.user_store import OutlayUserDatastore
from tenants.context import set_tenant

# Views that take a secret guess (password, code, email); each is throttled per client IP.
THROTTLED_VIEWS = (
    "security.login",
    "security.register",
    "security.forgot_password",
    "security.reset_password",
    "security.two_factor_token_validation",
    "security.send_confirmation",
)


def _one_line(_form: object, field: StringField) -> None:
    label = "organisation name" if field.name == "organisation" else "name"
    if problem := one_line_problem(field.data or "", label):
        raise ValidationError(problem)


class OutlayRegisterForm(RegisterFormV2):
    name = StringField("Your name", validators=[Optional(), Length(max=120), _one_line])
    organisation = StringField(
        "Organisation name",
        validators=[Optional(), Length(max=120), _one_line],
        description="Your first organisation; you can invite your team once you're in.",
    )


def _create_first_org(_app: Flask, user: User, form_data: dict[str, Any], **_kw: Any) -> None:
    # Flask-Security commits the new user after the view; the org rides in the same commit.
    name = (form_data.get("organisation") or "").strip()
    if not name:
        name = f"{user.name or user.email.split('@')[0]}'s organisation"
    orgs.create_org(user, name, commit=False)


def _ip_key() -> str:
    return f"ip:{get_remote_address()}"


def _account_key() -> str:
    data = request.form if request.form else (request.get_json(silent=True) or {})
    email = str(data.get("email", "")).strip().lower() if isinstance(data, dict) else ""
    return f"account:{email or get_remote_address()}"


def _throttle(app: Flask) -> None:
    # These limits come from this app's config, so they live on a limiter of its own: the shared
    # `extensions.limiter` files decorated limits under the view's name for every app and keeps
    # the first app's key prefix, so a second app in the process would inherit these limits.
    limiter = Limiter(key_func=get_remote_address, default_limits=[])
    limiter.init_app(app)
    per_ip = app.config["RATELIMIT_LOGIN"]
    for endpoint in THROTTLED_VIEWS:
        view = app.view_functions[endpoint]
        app.view_functions[endpoint] = limiter.limit(per_ip, key_func=_ip_key, methods=["POST"])(
            view
        )
    login = app.view_functions["security.login"]
    app.view_functions["security.login"] = limiter.limit(
        app.config["RATELIMIT_LOGIN_ACCOUNT"], key_func=_account_key, methods=["POST"]
    )(login)


def init_app(app: Flask) -> None:
    datastore = OutlayUserDatastore(db, User, SecurityRole)
    security.init_app(app, datastore, register_form=OutlayRegisterForm)
    user_registered.connect(_create_first_org, app)
    _throttle(app)

    @app.before_request
    def remember_user_for_rls() -> None:
        # app.user_id lets the database answer "which orgs am I in" for this user only.
        if current_user and current_user.is_authenticated:
            set_tenant(db.session, None, current_user.id)
