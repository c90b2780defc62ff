"""Absolute links, built from the configured base URL (`OUTLAY_BASE_URL`) and nothing else.

A link that leaves the app (every link in mail: reset, confirmation, invitation, alerts,
digests, unsubscribe) must never carry the Host of the request that caused it: a forged Host
or X-Forwarded-Host would otherwise mail a victim a reset link to the attacker's server.
`OutlayFlask.url_for` sends every external URL through `external_url`, so Flask-Security's
mails, the app's own mails and templates all get the same origin, in a request or in a worker.
"""

from __future__ import annotations

from contextlib import nullcontext
from functools import cached_property
from typing import Any
from urllib.parse import quote, urlsplit

from flask import Flask, current_app, has_app_context, has_request_context, request
from flask.globals import _cv_request as _request_ctx
from werkzeug.routing import BuildError


def base_url() -> str:
    """The public origin (and path prefix, if any), without a trailing slash."""
    return str(current_app.config["OUTLAY_BASE_URL"]).rstrip("/")


def absolute(path: str) -> str:
    """An app path (`/o/acme/budgets`) as a link on the base URL."""
    return base_url() + "/" + path.lstrip("/")


def external_url(
    endpoint: str, *, _anchor: str | None = None, _method: str | None = None, **values: Any
) -> str:
    """`url_for(endpoint, _external=True)` on the base URL, with or without a request."""
    return _build(endpoint, True, _anchor, _method, values)


def _build(
    endpoint: str, external: bool, _anchor: str | None, _method: str | None, values: dict
) -> str:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if endpoint.startswith("."):
        blueprint = request.blueprint if has_request_context() else None
        endpoint = f"{blueprint}{endpoint}" if blueprint else endpoint[1:]
    parts = urlsplit(base_url())
    adapter = app.url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme)
    app.inject_url_defaults(endpoint, values)
    try:
        url = adapter.build(endpoint, values, method=_method, force_external=external)
    except BuildError as error:
        values.update(_anchor=_anchor, _method=_method, _external=external)
        return app.handle_url_build_error(error, endpoint, values)
    if _anchor is not None:
        url = url + "#" + quote(_anchor, safe="%!#$&'()*+,/:;=?@")
    return url


PATHS_KEPT = 8192  # built paths kept per app (orgs x the links of their pages), then rebuilt


class OutlayFlask(Flask):
    """Flask, with every external URL on the base URL instead of the request's host."""

    def url_for(
        self,
        /,
        endpoint: str,
        *,
        _anchor: str | None = None,
        _method: str | None = None,
        _scheme: str | None = None,
        _external: bool | None = None,
        **values: Any,
    ) -> str:
        # Flask's rule: external when asked (or a scheme is given), and always outside a
        # request. The scheme is the base URL's; a caller cannot downgrade it.
        external = (
            _external
            if _external is not None
            else (_scheme is not None or not has_request_context())
        )
        if external:
            with nullcontext() if _is_current(self) else self.app_context():
                return external_url(endpoint, _anchor=_anchor, _method=_method, **values)
        adapter = _request_ctx.get().url_adapter
        if adapter is None:
            # The request was refused before routing (an untrusted Host): its error page
            # still needs paths, built on the base URL.
            return _build(endpoint, False, _anchor, _method, values)
        key = self._path_key(adapter, endpoint, _anchor, _method, values)
        if key is not None and (kept := self._paths.get(key)) is not None:
            return kept
        path = super().url_for(
            endpoint, _anchor=_anchor, _method=_method, _external=False, **values
        )
        if key is not None:
            if len(self._paths) >= PATHS_KEPT:
                self._paths.clear()
            self._paths[key] = path
        return path

    def _path_key(
        self, adapter: Any, endpoint: str, anchor: str | None, method: str | None, values: dict
    ) -> tuple[Any, ...] | None:
        """What a path built in a request depends on, or None when it may depend on more (an
        endpoint relative to the request's blueprint, URL-default functions) or a value is not
        hashable (a list). Each value with its type: 1, True and 1.0 are equal but other paths."""
        if endpoint[:1] == "." or any(self.url_default_functions.values()):
            return None
        given = tuple((name, type(value), value) for name, value in values.items())
        key = (adapter.script_name, adapter.subdomain, endpoint, anchor, method, given)
        try:
            hash(key)
        except TypeError:
            return None
        return key

    @cached_property
    def _paths(self) -> dict[tuple[Any, ...], str]:
        """Paths built in requests, by everything they depend on: the URL map (fixed once the
        app is set up), the request's script name and subdomain, and the arguments. A page
        builds 30 to 40, the same on every view. Not for endpoints relative to the request's
        blueprint or with URL-default functions, which read the request."""
        return {}


def _is_current(app: Flask) -> bool:
    return has_app_context() and current_app._get_current_object() is app  # type: ignore[attr-defined]
