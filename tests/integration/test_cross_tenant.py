"""A member of org A can reach nothing of org B: every org URL and object id of B is a 404.

Driven by `app.url_map`: every rule that takes an org <slug> is called, with every method, by
the owner of org A (who holds every permission there, and is not a member of B):

1. with B's slug and B's object ids -> 404, and the page shows none of B's data;
2. with A's slug and B's object ids -> 404 (a route without object ids just acts on A);

and afterwards every row of B in every tenant table is exactly as before. Object ids come
from `sample_args()` in tests/support/route_samples.py, the same samples the role matrix uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import text
from werkzeug.routing import Rule

from tenants.permissions import Perm
from tests.support.factories import Factory, unique
from tests.support.route_samples import (
    Callers,
    Route,
    access_of_rule,
    all_routes,
    listing_app,
    require_mark,
    resolve,
    routes_of,
    sample_args,
    url_for_rule,
)

ORG_ROUTES = [r for r in all_routes() if "slug" in r.find(listing_app()).arguments]


def tenant_tables(app: Flask) -> list[str]:
    from app.extensions import db

    with app.app_context():
        return list(
            db.session.scalars(
                text(
                    "SELECT c.table_name FROM information_schema.columns c "
                    "JOIN information_schema.tables t USING (table_schema, table_name) "
                    "WHERE c.table_schema = 'public' AND c.column_name = 'org_id' "
                    "AND t.table_type = 'BASE TABLE' ORDER BY 1"
                )
            )
        )


def snapshot(app: Flask, org: Any) -> dict[str, Any]:
    """Every row of `org` in every tenant table, and the org itself, as the app sees them."""
    from app.extensions import db
    from tenants.context import tenant_context

    rows: dict[str, Any] = {}
    with app.app_context():
        rows["organisations"] = db.session.execute(
            text("SELECT * FROM organisations WHERE id = :o"), {"o": org.id}
        ).all()
    for table in tenant_tables(app):
        with app.app_context(), tenant_context(org.id):
            rows[table] = db.session.execute(
                text(f'SELECT * FROM "{table}" WHERE org_id = :o ORDER BY id'), {"o": org.id}
            ).all()
    return rows


def secrets_of(app: Flask, org: Any) -> set[str]:
    """What a stranger must never see of `org`: its name, its people's and invitees' emails."""
    from app.extensions import db
    from tenants.context import tenant_context

    with app.app_context(), tenant_context(org.id):
        emails = db.session.scalars(
            text(
                "SELECT u.email FROM memberships m JOIN users u ON u.id = m.user_id "
                "UNION SELECT email FROM invitations"
            )
        ).all()
    return {org.name, *emails}


def assert_hidden(response: Any, secrets: set[str], context: str) -> None:
    body = response.get_data(as_text=True)
    shown = sorted(s for s in secrets if s in body)
    assert not shown, f"{context}: the response shows org B's data {shown}"


@dataclass
class People:
    """Users are global and slow to sign in, so they are made once; orgs are fresh per rule."""

    stranger: Any  # owns every org A, never a member of an org B
    b_owner: Any
    b_accountant: Any
    callers: Callers


@pytest.fixture(scope="module")
def people(app: Flask) -> People:
    make = Factory(app)
    return People(
        stranger=make.user(),
        b_owner=make.user(email=f"{unique('bravo-owner')}@example.com"),
        b_accountant=make.user(email=f"{unique('bravo-accountant')}@example.com"),
        callers=Callers(app),
    )


def test_every_org_route_is_walked(app: Flask):
    assert [r for r in routes_of(app) if "slug" in r.find(app).arguments] == ORG_ROUTES
    guarded = {r for r in routes_of(app) if isinstance(access_of_rule(app, r.find(app)), Perm)}
    assert guarded and guarded <= set(ORG_ROUTES), "every @requires route takes the org's slug"


@pytest.mark.parametrize("route", ORG_ROUTES, ids=str)
def test_member_of_org_a_gets_404_and_nothing_of_org_b(
    app: Flask, make: Factory, people: People, route: Route
):
    rule: Rule = route.find(app)
    access = require_mark(app, rule)
    assert isinstance(access, Perm), f"{route} takes an org slug but is not @requires(...)"
    a_owner, b_owner = people.stranger, people.b_owner
    a = make.org(a_owner, unique("Alpha Books "))
    b = make.org(b_owner, unique("Bravo Secret Bakery "))
    make.member(b, people.b_accountant, "accountant")

    b_values = resolve(rule, sample_args(app, make, b, b_owner))
    a_values = resolve(rule, sample_args(app, make, a, a_owner))
    object_args = sorted(name for name in rule.arguments if name != "slug")
    for name in object_args:
        # Ids are global sequences; a clash would make step 2 hit A's own object.
        assert b_values[name] != a_values[name], f"{route}: A and B share {name}"

    secrets = secrets_of(app, b)
    assert b.name in secrets and b_owner.email in secrets and len(secrets) >= 3
    before = snapshot(app, b)
    stranger = people.callers(rule, a_owner)

    path = url_for_rule(rule, b_values)
    response = stranger.call(route.method, path)
    context = f"owner of A: {route.method} {path} -> {response.status_code}"
    assert response.status_code == 404, context
    assert_hidden(response, secrets, context)

    path = url_for_rule(rule, {**b_values, "slug": a.slug})
    response = stranger.call(route.method, path)
    context = f"owner of A, B's ids under A's slug: {route.method} {path} -> {response.status_code}"
    if object_args:
        assert response.status_code == 404, context
    else:
        assert response.status_code < 500, context
    assert_hidden(response, secrets, context)

    assert snapshot(app, b) == before, f"{route}: org B's data changed"
