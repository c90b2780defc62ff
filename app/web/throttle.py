"""Throttles on every view that takes a secret guess: per client IP, per account, per half-login;
and on the views that mail a typed address, per address.

Per-account keys are the account itself: the login's key runs the login's own lookup
(Flask-Security's email normalisation, then the database's case-insensitive match) and keys on
the user it finds, so no spelling that reaches an account (fullwidth letters, case, a dotted
capital I that PostgreSQL's lower() folds to "i" while Python's casefold() does not) gets a
bucket of its own. An address no account has is keyed by its normalised, case-folded spelling.
A two-factor half-login (password right, code pending) has a server-side id: after
`RATELIMIT_TWO_FACTOR_SESSION` wrong codes it ends, and replaying its older cookie finds the
same spent bucket.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from functools import partial, wraps
from typing import Any

from flask import Flask, Response, request, session
from flask.globals import request_ctx
from flask_limiter import Limiter, RequestLimit
from flask_limiter.util import get_remote_address
from flask_security import current_user
from flask_security.mail_util import EmailValidateException
from flask_security.proxies import _security
from flask_security.tf_plugin import tf_clean_session
from sqlalchemy import text

from app.extensions import db
from app.lanes import browser_only

# Views that take a secret guess (password, code, email); each is throttled per client IP.
THROTTLED_VIEWS = (
    "security.login",
    "security.register",
    "security.forgot_password",
    "security.reset_password",
    "security.two_factor_token_validation",
    "security.mf_recovery",
    "security.send_confirmation",
    "security.verify",
    "security.change_password",
)
# Views that mail whatever address is typed (a reset link, a confirmation, sign-up's notice to
# an existing account): one budget per address across them, so nobody can fill a stranger's
# inbox from many IPs. Known and unknown addresses are counted alike (no enumeration).
# Sign-up counts only a form it accepted (it then redirects, for a new address and, with
# generic responses, for a taken one alike): a weak password retried must not lock anyone out.
MAILING_VIEWS = ("security.forgot_password", "security.send_confirmation")
SIGN_UP_VIEW = "security.register"
MAILING_SCOPE = "mail-to-address"
# Where a signed-in person retypes their password: limited per account as well.
REAUTH_VIEWS = ("security.verify", "security.change_password")
# Where a half-logged-in person types a second factor.
SECOND_FACTOR_VIEWS = ("security.two_factor_token_validation", "security.mf_recovery")
HALF_LOGIN = "outlay_half_login"
HALF_LOGIN_MAX_AGE = 15 * 60  # seconds; longer than the per-half-login window's use


def account_key(email: object) -> str:
    """The throttle key of the account an email names, spelled any way the lookup accepts."""
    raw = str(email or "").strip()
    try:
        normalised = _security.mail_util.normalize(raw)
    except EmailValidateException:
        return raw.casefold()  # no account has this spelling; any stable key will do
    # The login's own lookup (LoginForm.validate): whatever it matches is this bucket.
    user = _security.datastore.find_user(case_insensitive=True, email=normalised)
    return _user_key(user.id) if user is not None else normalised.casefold()


def address_key(email: object) -> str:
    """The throttle key of an address as the login's lookup compares it: PostgreSQL's lower()
    of the normalised spelling (`find_user(case_insensitive=True)` matches lower() to lower()).
    Two spellings share it exactly when they reach the same account, and it stays the same
    when the address becomes an account (a key by user id would start a new budget then)."""
    raw = str(email or "").strip()
    try:
        normalised = _security.mail_util.normalize(raw)
    except EmailValidateException:
        return raw.casefold()  # no account has this spelling; any stable key will do
    return db.session.execute(_LOWER, {"address": normalised}).scalar_one()


_LOWER = text("SELECT lower(:address)")


def _user_key(user_id: int) -> str:
    return f"user-{user_id}"


def _ip_key() -> str:
    return f"ip:{get_remote_address()}"


def _typed_email() -> str:
    data = request.form or request.get_json(silent=True) or {}
    return data.get("email", "") if isinstance(data, dict) else ""


def _login_account_key() -> str:
    return f"account:{account_key(_typed_email()) or get_remote_address()}"


def _mailed_address_key() -> str:
    return f"mailed:{address_key(_typed_email()) or get_remote_address()}"


def _accepted(response: Response) -> bool:
    return response.status_code in (301, 302, 303)


def _current_account_key() -> str:
    if current_user and current_user.is_authenticated:
        return f"account:{_user_key(current_user.id)}"
    return f"ip:{get_remote_address()}"


def _half_login_account_key() -> str:
    return f"tf-account:{session.get('tf_user_id') or get_remote_address()}"


def _half_login_key() -> str:
    half = session.get(HALF_LOGIN) or {}
    return f"tf-session:{half.get('id') or get_remote_address()}"


def _still_half_logged_in(_response: Response) -> bool:
    # A right code completes the login and clears tf_user_id; anything else was a miss.
    return "tf_user_id" in session


def _end_half_login(_limit: RequestLimit) -> None:
    tf_clean_session()
    session.pop(HALF_LOGIN, None)


def _track_half_logins(app: Flask) -> None:
    @app.before_request
    @browser_only
    def expire_half_login() -> None:
        if request.endpoint == "security.login" and request.method == "POST":
            session.pop(HALF_LOGIN, None)  # a new password check starts a new half-login
            return
        half = session.get(HALF_LOGIN)
        if "tf_user_id" in session and half and time.time() - half["at"] > HALF_LOGIN_MAX_AGE:
            _end_half_login(None)  # type: ignore[arg-type]

    @app.after_request
    @browser_only
    def mark_half_login(response: Response) -> Response:
        if "tf_user_id" in session:
            if HALF_LOGIN not in session:
                session[HALF_LOGIN] = {"id": secrets.token_urlsafe(16), "at": time.time()}
        elif HALF_LOGIN in session:
            session.pop(HALF_LOGIN)
        return response


def init_app(app: Flask) -> None:
    # These limits come from this app's config, so they live on a limiter of its own: the shared
    # `extensions.limiter` files decorated limits under the view's name for every app and keeps
    # the first app's key prefix, so a second app in the process would inherit these limits.
    limiter = Limiter(key_func=get_remote_address, default_limits=[])
    limiter.init_app(app)
    config = app.config

    def wrap(endpoint: str, limit: str, key: Callable[[], str], **options: object) -> None:
        view = app.view_functions[endpoint]
        app.view_functions[endpoint] = limiter.limit(
            limit, key_func=key, methods=["POST"], **options
        )(view)

    for endpoint in THROTTLED_VIEWS:
        if endpoint in app.view_functions:
            wrap(endpoint, config["RATELIMIT_LOGIN"], _ip_key)
    wrap("security.login", config["RATELIMIT_LOGIN_ACCOUNT"], _login_account_key)
    mail_budget = partial(
        limiter.shared_limit,
        config["RATELIMIT_MAIL_ADDRESS"],
        MAILING_SCOPE,  # one scope and key: both decorators count in the same bucket
        key_func=_mailed_address_key,
        methods=["POST"],
        error_message="Too many emails to this address for now: try again later.",
    )
    for endpoint in MAILING_VIEWS:
        if endpoint in app.view_functions:
            app.view_functions[endpoint] = mail_budget()(app.view_functions[endpoint])
    if SIGN_UP_VIEW in app.view_functions:
        app.view_functions[SIGN_UP_VIEW] = mail_budget(deduct_when=_accepted)(
            app.view_functions[SIGN_UP_VIEW]
        )
    for endpoint in REAUTH_VIEWS:
        wrap(endpoint, config["RATELIMIT_LOGIN_ACCOUNT"], _current_account_key)
    for endpoint in SECOND_FACTOR_VIEWS:
        if endpoint not in app.view_functions:
            continue
        wrap(
            endpoint,
            config["RATELIMIT_TWO_FACTOR_ACCOUNT"],
            _half_login_account_key,
            deduct_when=_still_half_logged_in,
        )
        wrap(
            endpoint,
            config["RATELIMIT_TWO_FACTOR_SESSION"],
            _half_login_key,
            deduct_when=_still_half_logged_in,
            on_breach=_end_half_login,
            error_message="Too many wrong codes: log in again to get a new try.",
        )
    _track_half_logins(app)
    drop_idle_limiter_hooks(app)  # both limiters are initialised by now


def drop_idle_limiter_hooks(app: Flask) -> None:
    """Rate limits only where a limit applies. Flask-Limiter runs a `before_request` hook per
    limiter on every request, for default, application, meta and blueprint limits; this app
    has none of those (every limit sits on a view, and a view's decorator checks its own), so
    for a limiter without them the hook only spends time on every request — it is removed.
    A limiter that gains such a limit keeps its hook."""
    hooks = app.before_request_funcs.get(None, [])
    for limiter in app.extensions.get("limiter", ()):
        manager = limiter.limit_manager
        if (
            manager.default_limits
            or manager.application_limits
            or any(limiter._meta_limits)
            or any(manager._blueprint_limits.values())
        ):
            continue
        hooks[:] = [hook for hook in hooks if hook != limiter._check_request_limit]
    _after_a_limit_only(app)


# Flask-Limiter keeps a request's limit state on the request context under this name, made the
# first time a limit is checked (flask_limiter `Limiter.context`, version pinned).
_LIMIT_STATE = "_limiter_request_context"


def _is_limiter_hook(hook: Any) -> bool:
    target = hook.func if isinstance(hook, partial) else hook
    return getattr(target, "__qualname__", "").startswith("Limiter.")


def _when_a_limit_ran(hook: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def run(value: Any) -> Any:
        if not hasattr(request_ctx, _LIMIT_STATE):
            return value  # after-request: the response unchanged; teardown: ignored
        return hook(value)

    return wraps(hook)(run) if not isinstance(hook, partial) else run


def _after_a_limit_only(app: Flask) -> None:
    """Each limiter also adds an after-request hook (the X-RateLimit headers, a `deduct_when`
    limit's deduction) and a teardown (clearing its state) to every request. Both only act
    on the state a limit check leaves; on a request whose view has no limit (nearly all of
    them, every API call) no check ran and there is nothing to add or clear, so they return
    at once without looking the state up."""
    for registry in (app.after_request_funcs, app.teardown_request_funcs):
        hooks = registry.get(None, [])
        hooks[:] = [_when_a_limit_ran(h) if _is_limiter_hook(h) else h for h in hooks]
