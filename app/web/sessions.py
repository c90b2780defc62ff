"""Revocable sessions wired into Flask-Login, and no Flask-Security auth tokens on the web.

Flask-Security's own loader trusts any cookie that names the user's fs_uniquifier, for as long
as the cookie lives; this loader also needs a live row in `user_sessions` (see
`app.services.accounts.sessions`). The web accepts only that session: Flask-Security's auth tokens
(`?auth_token=`, the `Authentication-Token` header, `include_auth_token` on login) are off;
`/api/v1` has its own personal API tokens.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, after_this_request, current_app, g, request, session
from flask_login import user_logged_in, user_logged_out
from flask_security import password_changed, password_reset
from flask_security.utils import set_request_attr
from flask_security.views import default_render_json as _default_render_json

from app.extensions import security
from app.models import User
from app.services.accounts import sessions

SESSION_DIGEST = "outlay_session_digest"


def _load_user(login_id: str) -> User | None:
    loaded = sessions.load(login_id, current_app.config["OUTLAY_SESSION_MAX_IDLE"])
    if loaded is None:
        return None
    g.outlay_session_id = loaded.session_id
    setattr(g, SESSION_DIGEST, loaded.digest)
    # What Flask-Security's own loader records for its freshness checks.
    set_request_attr("fs_authn_via", "session")
    set_request_attr("fs_paa", session.get("fs_paa", 0))
    return loaded.user


def _no_token_login(_request: Any) -> None:
    return None


def _commit(response: Response) -> Response:
    sessions.save()
    return response


def _signed_in(_app: Flask, user: User, **_kw: Any) -> None:
    login_id, row_digest = sessions.start(
        user, request.headers.get("User-Agent", ""), request.remote_addr
    )
    # Flask-Login writes this into the session and, with "remember me", the remember cookie.
    session["_user_id"] = login_id
    setattr(g, SESSION_DIGEST, row_digest)
    g.outlay_session_id = None
    after_this_request(_commit)


def _signed_out(_app: Flask, user: User | None = None, **_kw: Any) -> None:
    row_digest = getattr(g, SESSION_DIGEST, None)
    if row_digest:
        sessions.end(row_digest)
        setattr(g, SESSION_DIGEST, None)


def _password_replaced(_app: Flask, user: User, **_kw: Any) -> None:
    # Every other browser must sign in with the new password; a copied cookie is dead.
    sessions.revoke_all(user.id, keep_digest=getattr(g, SESSION_DIGEST, None))
    after_this_request(_commit)


def current_digest() -> str | None:
    return getattr(g, SESSION_DIGEST, None)


def _strip_tokens(payload: dict[str, Any], code: int, headers: Any, user: Any) -> Any:
    user_part = payload.get("user")
    if isinstance(user_part, dict):
        user_part.pop("authentication_token", None)
        user_part.pop("refresh_token", None)
    return _default_render_json(payload, code, headers, user)


def init_app(app: Flask) -> None:
    app.login_manager.user_loader(_load_user)
    app.login_manager.request_loader(_no_token_login)
    security.render_json(_strip_tokens)
    user_logged_in.connect(_signed_in, app)
    user_logged_out.connect(_signed_out, app)
    password_changed.connect(_password_replaced, app)
    password_reset.connect(_password_replaced, app)
