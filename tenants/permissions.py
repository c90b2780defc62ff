"""Who may do what: the role -> permission table of DESIGN.md, and the one decorator.

Every view declares its access with `@requires(Perm.X)` (an org route under /o/<slug>/),
`@login_only` (signed in, no org) or `@public`. The role-matrix test reads these marks from
`app.url_map`, so a route without one fails the suite.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any, TypeVar

from flask import current_app, g
from flask_security import current_user

from tenants.roles import Role


class Perm(StrEnum):
    READ = "read"  # org data, dashboards, portal (members: their own items)
    WRITE_TRANSACTIONS = "write_transactions"  # members: their own, pending approval
    MANAGE_LEDGER = "manage_ledger"  # categories, budgets, recurring, imports
    EXPORT = "export"  # members: their own items
    APPROVE = "approve"  # accountants up to the org's limit
    MANAGE_MEMBERS = "manage_members"  # members, invitations, roles
    MANAGE_ORG = "manage_org"  # billing, org settings, delete org


PERMISSIONS: dict[Role, frozenset[Perm]] = {
    Role.OWNER: frozenset(Perm),
    Role.ACCOUNTANT: frozenset(
        {Perm.READ, Perm.WRITE_TRANSACTIONS, Perm.MANAGE_LEDGER, Perm.EXPORT, Perm.APPROVE}
    ),
    # Members export what they may read: their own items (issue 15; Seat.owner_filter).
    Role.MEMBER: frozenset({Perm.READ, Perm.WRITE_TRANSACTIONS, Perm.EXPORT}),
    Role.VIEWER: frozenset({Perm.READ, Perm.EXPORT}),
}

PUBLIC = "public"
LOGIN = "login"

# Routes that other packages register; their access is declared here, not on the view.
EXTERNAL_ACCESS_PREFIXES: dict[str, str] = {
    "static": PUBLIC,
    "bootstrap.": PUBLIC,
    "security.": PUBLIC,  # Flask-Security's own views do their own checks
}

F = TypeVar("F", bound=Callable[..., Any])
# How `@requires` enters the org in a URL: `enter(slug, user_id, perm) -> (org, seat)`, raising
# the app's NotFound / Forbidden. Tenants sit below the services (and the Seat) in the layers, so
# the web layer hands the function in (`app.web` wires `app.services.orgs.orgs.enter_as`).
OrgEntry = Callable[[str, int, "Perm"], tuple[Any, Any]]
_org_entry: OrgEntry | None = None


def use_org_entry(enter: OrgEntry) -> None:
    global _org_entry
    _org_entry = enter


def can(role: Role | str, perm: Perm) -> bool:
    return perm in PERMISSIONS[Role(role)]


def sees_only_own_items(role: Role | str) -> bool:
    """The own-items rule, the one place it is written: a member reads and changes only the
    transactions, budgets' figures, recurring rules and portal figures they created."""
    return Role(role) is Role.MEMBER


def access_of(view: Callable[..., Any]) -> str | Perm | None:
    return getattr(view, "_outlay_access", None)


def public(view: F) -> F:
    view._outlay_access = PUBLIC  # type: ignore[attr-defined]
    return view


def login_only(view: F) -> F:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        return view(*args, **kwargs)

    wrapper._outlay_access = LOGIN  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def requires(perm: Perm) -> Callable[[F], F]:
    """Org route guard: signed in, a member of the org in the URL, holding `perm`.

    Non-members get 404 (the org's existence is not disclosed); members without the
    permission get 403. The Seat (`app.seat.Seat`, built once here) is `g.seat`, what the view
    hands to services; the org row is `g.org`, for pages that show its name.
    """

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if _org_entry is None:
                raise RuntimeError("no org entry: app.web.init_app calls use_org_entry()")
            slug = kwargs.pop("slug")
            g.org, g.seat = _org_entry(slug, current_user.id, perm)
            return view(*args, **kwargs)

        wrapper._outlay_access = perm  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate
