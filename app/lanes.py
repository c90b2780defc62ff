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

Org routes (`@requires(Perm...)`, under /o/<slug>/) skip Flask-Principal's identity load too:
their guard is the role in the org (`tenants.permissions.requires`), and nothing on them asks
Principal (no `roles_required`/`permissions_required`; a Principal check there would find no
`g.identity` and fail, never pass). Flask-Security's own views, the account pages and the
rest still load the identity as before.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, Request, current_app, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface

from tenants.permissions import Perm, access_of

PREFIX = "/api/"
F = TypeVar("F", bound=Callable[..., Any])


def is_api(req: Request) -> bool:
    return req.path.startswith(PREFIX)


def is_org_route(app: Flask, endpoint: str | None) -> bool:
    """A view guarded by `@requires(Perm...)`: it enters the org in its URL itself."""
    view = app.view_functions.get(endpoint) if endpoint else None
    return isinstance(access_of(view), Perm)


def outside_org_routes(hook: F) -> F:
    """A before-request hook for everything but org routes (and, as `browser_only`, not API)."""

    @wraps(hook)
    def run(*args: Any) -> Any:
        if request.path.startswith(PREFIX) or is_org_route(current_app, request.endpoint):
            return None
        return hook(*args)

    run._outlay_outside_org_routes = True  # type: ignore[attr-defined]
    return run  # type: ignore[return-value]


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
    return [app.login_manager._update_remember_cookie]  # type: ignore[attr-defined]


def _identity_hooks(app: Flask) -> list[Any]:
    """Flask-Principal's identity load: for the views that may ask Principal (not org routes)."""
    security = app.extensions.get("security")
    principal = getattr(security, "principal", None)
    return [] if principal is None else [principal._on_before_request]


def init_app(app: Flask) -> None:
    """Route API requests past the browser machinery, and org routes past Principal (after
    every extension and blueprint has registered its hooks)."""
    app.session_interface = LaneSessions()
    browser, identity = _browser_hooks(app), _identity_hooks(app)
    for registry in (app.before_request_funcs, app.after_request_funcs):
        hooks = registry.get(None, [])
        hooks[:] = [
            browser_only(h)
            if any(h == s for s in browser)
            else outside_org_routes(h)
            if any(h == s for s in identity)
            else h
            for h in hooks
        ]
