"""Bearer-token access to org routes: `@api_requires(Perm.X)`, the API's twin of `requires`.

Missing or bad token: 401. Not a member (or no such org): 404. A member without the
permission: 403. The token lookup is one statement that also sets the tenant (org and user,
transaction-local, through `tenants.context.enter`) when the token's user is a member. The
Seat the views hand to services, built from that same row, is on `g.seat`. When the token's
last recorded use is old, the use is recorded after the request (`init_app`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, g, request
from sqlalchemy.exc import SQLAlchemyError

from app import clock
from app.errors import DomainError, Forbidden, NotFound
from app.seat import Seat
from app.services.accounts import api_tokens
from tenants.permissions import LOGIN, Perm
from tenants.roles import Role

F = TypeVar("F", bound=Callable[..., Any])
log = logging.getLogger("outlay.api")


class Unauthorized(DomainError):
    status = 401
    title = "Unauthorized"
    headers = {"WWW-Authenticate": 'Bearer realm="outlay"'}


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def token_access(slug: str | None) -> api_tokens.Access:
    """The request's token looked up (in the org of `slug`, if given), else 401; the caller
    checks what the access allows."""
    token = bearer_token()
    if token is None:
        raise Unauthorized("Send a personal API token: Authorization: Bearer <token>.")
    access = api_tokens.resolve(token, slug)
    if access is None:
        raise Unauthorized("This API token is not valid or has been revoked.")
    g.api_user_id = access.user_id
    g.token_use_to_record = access.use_to_record
    return access


def _record_token_use(_error: BaseException | None) -> None:
    if (token_digest := g.pop("token_use_to_record", None)) is None:
        return
    try:
        api_tokens.record_use(token_digest)
    except SQLAlchemyError:
        # The answer is already made; a missed "last used" is written by the next request.
        log.warning("recording an API token's use failed", exc_info=True)


def init_app(app: Flask) -> None:
    """Record a token's use after the request's database session has been closed: Flask
    runs app-context teardowns last-registered first, and Flask-SQLAlchemy's (which returns
    the request's connection) is registered before this, so this goes in front of it."""
    app.teardown_appcontext_funcs.insert(0, _record_token_use)


def api_requires(perm: Perm) -> Callable[[F], F]:
    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            access = token_access(kwargs.pop("slug"))
            if access.org_id is None or access.role is None:
                raise NotFound("No such organisation.")
            # From the token lookup, no second query.
            g.seat = Seat(
                org_id=access.org_id,
                org_slug=access.org_slug,
                base_currency=str(access.base_currency),
                time_zone=access.time_zone or clock.DEFAULT_ZONE,
                user_id=access.user_id,
                role=Role(access.role),
                org_name=access.org_name,
            )
            if not g.seat.can(perm):
                raise Forbidden("Your role in this organisation does not allow that.")
            return view(*args, **kwargs)

        wrapper._outlay_access = perm  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


def org_today() -> date:
    """Today in the org's zone (the token lookup returned the zone)."""
    return clock.org_today(g.seat)


def api_login(view: F) -> F:
    """A route for any valid token, outside an org (e.g. exchange rates)."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        token_access(None)
        return view(*args, **kwargs)

    wrapper._outlay_access = LOGIN  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]
