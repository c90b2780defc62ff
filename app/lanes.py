"""The API's lane through the app: a bearer-token request skips the browser's machinery.

Everything under /api/ authenticates by its personal token alone (`app.api.auth`); a cookie
there is ignored. So for those requests the hooks that exist for signed-in browsers do not
run: Flask-Principal's identity load, Flask-Login's remember cookie, the two-factor
half-login bookkeeping and the web's "remember the user for RLS"; and the session cookie is
neither read nor written (a fresh empty session, never saved). The hooks that are the API's
too keep running on it: the input guard, the security headers, CSRF (which exempts the API's
blueprints itself), the trusted-host check and the error handlers.

A hook is skipped only if named: the extensions' in `_browser_hooks`, ours by `browser_only`.
One added later runs on every request until someone decides otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, Request, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface

PREFIX = "/api/"
F = TypeVar("F", bound=Callable[..., Any])


def is_api(req: Request) -> bool:
    return req.path.startswith(PREFIX)


def browser_only(hook: F) -> F:
    """A before/after-request hook for browsers only: on an API request it does nothing (an
    after-request hook hands the response on unchanged)."""

    @wraps(hook)
    def run(*args: Any) -> Any:
        if request.path.startswith(PREFIX):
            return args[0] if args else None
        return hook(*args)

    run._outlay_browser_only = True  # type: ignore[attr-defined]
    return run  # type: ignore[return-value]


class LaneSessions(SecureCookieSessionInterface):
    """The signed-cookie session, except on API requests: an empty session there, not read
    from the cookie and never saved (no Set-Cookie, no signing on every request)."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if is_api(request):
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session: Any, response: Any) -> None:
        if is_api(request):
            return
        super().save_session(app, session, response)


def _browser_hooks(app: Flask) -> list[Any]:
    """The extensions' hooks that serve signed-in browsers only."""
    hooks: list[Any] = [app.login_manager._update_remember_cookie]  # type: ignore[attr-defined]
    security = app.extensions.get("security")
    principal = getattr(security, "principal", None)
    if principal is not None:
        hooks.append(principal._on_before_request)
    return hooks


def init_app(app: Flask) -> None:
    """Route API requests past the browser machinery (after every extension and blueprint has
    registered its hooks)."""
    app.session_interface = LaneSessions()
    skip = _browser_hooks(app)
    for registry in (app.before_request_funcs, app.after_request_funcs):
        hooks = registry.get(None, [])
        hooks[:] = [browser_only(h) if any(h == s for s in skip) else h for h in hooks]
