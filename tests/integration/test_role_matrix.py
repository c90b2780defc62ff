"""Every route answers every kind of visitor as tenants/permissions.py says.

The walk reads `app.url_map`, so a new route is covered the moment it exists: it must declare
its access (@requires(Perm.X), @login_only or @public, or an EXTERNAL_ACCESS_PREFIXES entry),
and its URL arguments need sample values in tests/support/route_samples.py. For an org route
the expected status of each role comes from `can(role, perm)`:

  anonymous                      -> 302 to /login (HTML) or 401 (/api/)
  signed in, not a member        -> 404 (the org's existence is not disclosed)
  member whose role lacks perm   -> 403
  member whose role has perm     -> it works: 2xx, a redirect (not to /login), or a 400/409/422
                                    for the empty form the walk sends; never 403, 404 or 5xx
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from werkzeug.routing import Map, Rule

from tenants.permissions import LOGIN, PUBLIC, Perm, can, requires
from tenants.roles import Role
from tests.support.factories import Factory, unique
from tests.support.route_samples import (
    Callers,
    Route,
    all_routes,
    caller,
    require_mark,
    resolve,
    routes_of,
    sample_args,
    url_for_rule,
)
from tests.support.web import path_of

ROUTES = all_routes()

# Least powerful first, so what a stronger role does (leave, remove, delete) comes last.
ROLES_IN_ORDER = (Role.VIEWER, Role.MEMBER, Role.ACCOUNTANT, Role.OWNER)
WORKS = {200, 201, 202, 204, 302, 303, 400, 409, 422}  # 202: a job started


def is_api(rule: Rule) -> bool:
    return rule.rule.startswith("/api/")


def describe(who: str, method: str, path: str, response: Any) -> str:
    body = response.get_data().decode("utf-8", "replace")  # a receipt's file is bytes
    return (
        f"{who}: {method} {path} -> {response.status_code} "
        f"(location={response.headers.get('Location')!r}) {body[:300]!r}"
    )


def assert_not_a_csrf_failure(response: Any, context: str) -> None:
    # A 400 from CSRF would pass as "bad input" and hide that authorization never ran.
    if response.status_code == 400:
        assert "CSRF" not in response.get_data(as_text=True), context


def assert_sent_to_login(rule: Rule, response: Any, context: str) -> None:
    if is_api(rule):
        assert response.status_code == 401, context
    else:
        assert response.status_code == 302, context
        assert path_of(response.headers["Location"]).startswith("/login"), context


def assert_works(response: Any, context: str) -> None:
    assert response.status_code in WORKS, context
    assert_not_a_csrf_failure(response, context)
    if response.status_code in (302, 303):
        assert not path_of(response.headers["Location"]).startswith("/login"), context


@dataclass
class Cast:
    """People reused across the walk (users are global; making and signing them in is slow).

    Each org route gets a fresh org with one user per role in it; their signed-in clients are
    made once for the module. The outsider belongs to another org only. The visitor (with an
    org of their own) and the newcomer (no org) sign in afresh for each public and login-only
    route, since those may end the session.
    """

    users: dict[Role, Any]
    outsider: Any
    visitor: Any
    newcomer: Any
    callers: Callers


@pytest.fixture(scope="module")
def cast(app: Flask) -> Cast:
    make = Factory(app)
    outsider = make.user()
    make.org(outsider, unique("Elsewhere "))
    visitor = make.user()
    make.org(visitor, unique("Visitor "))
    users = {role: make.user() for role in Role}
    return Cast(users, outsider, visitor, make.user(), Callers(app))


def check_org_route(
    app: Flask, make: Factory, cast: Cast, rule: Rule, method: str, perm: Perm
) -> None:
    owner = cast.users[Role.OWNER]
    org = make.org(owner, unique("Matrix "))
    for role in (Role.ACCOUNTANT, Role.MEMBER, Role.VIEWER):
        make.member(org, cast.users[role], role.value)
    # Denied requests share one set of objects; every request that may act gets fresh ones
    # (made as its user), so a destructive call (remove, delete) cannot spoil the next.
    shared = url_for_rule(rule, resolve(rule, sample_args(app, make, org, owner)))

    def request(who: str, user: Any, path: str = shared):
        response = cast.callers(rule, user).call(method, path)
        assert response.status_code < 500, describe(who, method, path, response)
        return path, response

    path, response = request("anonymous", None)
    assert_sent_to_login(rule, response, describe("anonymous", method, path, response))

    path, response = request("non-member", cast.outsider)
    assert response.status_code == 404, describe("non-member", method, path, response)

    for role in ROLES_IN_ORDER:
        user = cast.users[role]
        if can(role, perm):
            own = url_for_rule(rule, resolve(rule, sample_args(app, make, org, owner, user)))
            path, response = request(role.value, user, own)
            assert_works(
                response, describe(f"{role.value} (may {perm.value})", method, path, response)
            )
        else:
            path, response = request(role.value, user)
            context = describe(f"{role.value} (may not {perm.value})", method, path, response)
            assert response.status_code == 403, context


def check_login_only_route(app: Flask, make: Factory, cast: Cast, rule: Rule, method: str) -> None:
    org = make.org(cast.visitor, unique("Signed in "))
    path = url_for_rule(rule, resolve(rule, sample_args(app, make, org, cast.visitor)))
    response = caller(app, rule, None).call(method, path)
    assert_sent_to_login(rule, response, describe("anonymous", method, path, response))

    for who, user in (("user with an org", cast.visitor), ("user without an org", cast.newcomer)):
        path = url_for_rule(rule, resolve(rule, sample_args(app, make, org, cast.visitor, user)))
        response = caller(app, rule, user).call(method, path)  # fresh: it may sign out
        context = describe(who, method, path, response)
        assert response.status_code < 500 and response.status_code != 403, context
        assert_not_a_csrf_failure(response, context)
        if response.status_code in (302, 303):
            assert not path_of(response.headers["Location"]).startswith("/login"), context


def check_public_route(app: Flask, make: Factory, cast: Cast, rule: Rule, method: str) -> None:
    org = make.org(cast.visitor, unique("Public "))
    for who, user in (("anonymous", None), ("signed in", cast.visitor)):
        path = url_for_rule(rule, resolve(rule, sample_args(app, make, org, cast.visitor, user)))
        response = caller(app, rule, user).call(method, path)  # fresh: it may sign out
        context = describe(who, method, path, response)
        assert response.status_code < 500, context
        assert_not_a_csrf_failure(response, context)


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_route_answers_as_the_permission_table_says(
    app: Flask, make: Factory, cast: Cast, route: Route
):
    rule = route.find(app)
    access = require_mark(app, rule)
    if isinstance(access, Perm):
        assert "slug" in rule.arguments, f"{route}: @requires needs the org's <slug> in the URL"
        check_org_route(app, make, cast, rule, route.method, access)
    elif access == LOGIN:
        check_login_only_route(app, make, cast, rule, route.method)
    elif access == PUBLIC:
        check_public_route(app, make, cast, rule, route.method)
    else:
        pytest.fail(f"{route}: unknown access {access!r}")


def test_the_walk_covers_every_rule_of_the_app(app: Flask):
    # The parametrized ids come from an app built at collection time; it must be the same app.
    assert routes_of(app) == ROUTES
    assert any(isinstance(require_mark(app, r.find(app)), Perm) for r in ROUTES)


def test_an_unmarked_route_fails_the_walk():
    """The walk's own guard: a view without a mark is reported by name, not skipped."""
    bare = Flask("bare")
    bare.add_url_rule("/o/<slug>/unmarked", "unmarked", lambda slug: "secret")
    bare.add_url_rule("/o/<slug>/marked", "marked", requires(Perm.READ)(lambda: "fine"))
    rules = {r.endpoint: r for r in bare.url_map.iter_rules()}
    assert require_mark(bare, rules["marked"]) == Perm.READ
    with pytest.raises(pytest.fail.Exception, match=r"unmarked .*@requires/@login_only/@public"):
        require_mark(bare, rules["unmarked"])


def test_a_rule_with_an_argument_without_a_sample_fails_the_walk(app: Flask, make: Factory):
    owner = make.user()
    org = make.org(owner)
    rule = Rule("/o/<slug>/things/<int:thing_id>", endpoint="things.show")
    Map([rule])  # binding parses the rule's arguments
    with pytest.raises(pytest.fail.Exception, match=r"thing_id .*sample_args\(\)"):
        resolve(rule, sample_args(app, make, org, owner))
