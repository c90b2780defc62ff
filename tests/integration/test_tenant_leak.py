"""Tenant context cannot leak between requests that share one pooled connection.

The app is built with a pool of exactly one connection. Requests for org A and org B run
alternately; each reports the PostgreSQL backend it ran on and the rows it could see. Between
requests the same pooled connection is checked out directly and must have no org set.
"""

from __future__ import annotations

from flask import g, jsonify
from sqlalchemy import text

from app.extensions import db
from tenants.permissions import Perm, requires
from tests.support.factories import PASSWORD, unique
from tests.support.pooled import between_requests
from tests.support.web import https_client, login


def _probe():
    """What a request for the org in the URL sees on its connection."""
    row = db.session.execute(
        text("SELECT pg_backend_pid() AS pid, current_setting('app.org_id', true) AS org")
    ).one()
    orgs = db.session.execute(text("SELECT DISTINCT org_id FROM memberships")).scalars()
    return jsonify(pid=row.pid, org=row.org, visible=sorted(orgs), expected=g.org.id)


def test_alternating_orgs_on_one_connection(app_factory, make):
    app = app_factory(
        SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 1, "max_overflow": 0, "pool_pre_ping": False}
    )
    app.add_url_rule("/o/<slug>/_probe", "probe", requires(Perm.READ)(_probe))

    people = []
    for label in ("A", "B"):
        owner = make.user()
        org = make.org(owner, unique(f"Leak {label} "))
        client = https_client(app)
        assert login(client, owner.email, PASSWORD).status_code == 302
        people.append((org, client))

    with app.app_context():
        engine = db.engine

    pids = set()
    for _round in range(3):
        for org, client in people:
            seen = client.get(f"/o/{org.slug}/_probe").get_json()
            assert seen["org"] == str(org.id)
            assert seen["visible"] == [org.id], "a request saw another org's rows"
            pids.add(seen["pid"])

            between = between_requests(engine, "memberships")
            pids.add(between[0])
            assert between[1:] == ("", "", 0), "a setting survived the request"

    assert len(pids) == 1, f"expected one pooled connection, saw backends {pids}"
    assert engine.pool.size() == 1
