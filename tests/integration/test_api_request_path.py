"""The API's request path at the floor: what one list request sends to PostgreSQL, counted on
the wire (so the driver's BEGIN and ROLLBACK and any pool ping count too), and that the cheaper
path keeps tenancy whole on a pooled connection and survives a connection the server closed."""

from __future__ import annotations

from flask import jsonify
from sqlalchemy import create_engine, pool, text

from app.api.auth import api_requires
from app.config import sqlalchemy_url
from app.extensions import db
from tenants.permissions import Perm
from tests.support.api import Api, token_for
from tests.support.factories import PASSWORD, unique
from tests.support.pooled import between_requests
from tests.support.web import https_client, login
from tests.support.wire import ONE_CONNECTION, app_through


def _org_with_rows(make, app, label: str, rows: int):
    owner = make.user()
    org = make.org(owner, unique(f"Path {label} "))
    for n in range(rows):
        make.transaction(org, owner, amount=f"{n + 1}.50", description=f"{label} row {n}")
    return org, token_for(app, owner)


def test_a_list_request_is_two_statements_and_four_round_trips(
    app, app_factory, owner_url, wire, make
):
    """Token lookup and tenant settings in one statement, the page in a second; the driver's
    BEGIN and ROLLBACK around them; no pre-ping. The target is <= 3 statements, <= 5 trips."""
    org, token = _org_with_rows(make, app, "Count", 55)
    counted = app_through(app_factory, owner_url, wire)
    api = Api(counted.test_client(), token, org.slug)
    assert api.get("/transactions?limit=50").status_code == 200  # warm: opens the connection

    wire.clear()
    response = api.get("/transactions?limit=50")
    trips = wire.taken()

    assert response.status_code == 200 and len(response.get_json()["items"]) == 50
    assert len(trips) == 4, trips
    begin, lookup, page, end = trips
    assert (begin, end) == ("BEGIN", "ROLLBACK")
    assert "outlay_token_access" in lookup and "set_config('app.org_id'" in lookup
    assert "FROM transactions" in page and "set_config" not in page
    statements = [t for t in trips if t not in ("BEGIN", "ROLLBACK", "COMMIT")]
    assert len(statements) <= 3 and len(trips) <= 5


def test_a_refused_token_sets_no_tenant_and_sends_no_page(app, app_factory, owner_url, wire, make):
    """A live token for an org its user is not in: 404, and the one statement changed nothing."""
    org, _token = _org_with_rows(make, app, "Closed", 1)
    stranger = make.user()
    make.org(stranger)
    counted = app_through(app_factory, owner_url, wire)
    api = Api(counted.test_client(), token_for(app, stranger), org.slug)
    api.get("/transactions")

    wire.clear()
    response = api.get("/transactions")
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert [t for t in wire.taken() if "FROM transactions" in t] == []


def _probe():
    """What an API request for the org in the URL sees on its connection."""
    row = db.session.execute(
        text(
            "SELECT pg_backend_pid() AS pid, current_setting('app.org_id', true) AS org, "
            "current_setting('app.user_id', true) AS user"
        )
    ).one()
    orgs = db.session.execute(text("SELECT DISTINCT org_id FROM transactions")).scalars()
    return jsonify(pid=row.pid, org=row.org, user=row.user, visible=sorted(orgs))


def test_one_pooled_connection_serves_org_a_then_org_b(app, app_factory, make):
    """A single pooled connection serves A's token, then B's, alternately: each request sees
    only its own org's rows through the real list and a probe, and nothing survives between."""
    served = app_factory(SQLALCHEMY_ENGINE_OPTIONS=ONE_CONNECTION)
    served.add_url_rule("/api/v1/orgs/<slug>/_probe", "api_probe", api_requires(Perm.READ)(_probe))
    people = []
    for label in ("A", "B"):
        org, token = _org_with_rows(make, app, label, 3)
        people.append((label, org, Api(served.test_client(), token, org.slug)))
    with served.app_context():
        engine = db.engine

    pids = set()
    for _round in range(3):
        for label, org, api in people:
            listed = api.get("/transactions").get_json()["items"]
            assert sorted(item["description"] for item in listed) == [
                f"{label} row {n}" for n in range(3)
            ], "a request saw another org's rows"
            seen = api.get("/_probe").get_json()
            assert (seen["org"], seen["visible"]) == (str(org.id), [org.id])
            pids.add(seen["pid"])
            between = between_requests(engine, "transactions")
            pids.add(between[0])
            assert between[1:] == ("", "", 0), "a setting survived the request"
    assert len(pids) == 1, f"expected one pooled connection, saw backends {pids}"


def _end_backend(owner_url: str, pid: int) -> None:
    admin = create_engine(sqlalchemy_url(owner_url), poolclass=pool.NullPool)
    with admin.connect() as conn:
        # With a timeout the call returns once the backend has exited (its FATAL notice and FIN
        # sent), as after a real restart; without, the next request could race the signal.
        ended = text("SELECT pg_terminate_backend(:p, 10000)")
        assert conn.execute(ended, {"p": pid}).scalar()
    admin.dispose()


def test_a_connection_the_server_closed_is_replaced_without_an_error(
    app, app_factory, owner_url, make
):
    """No pre-ping: after an administrator ends the pooled connection's backend, the next
    page (the pool notices the closed socket at checkout) and the next API request (its token
    lookup would also run again on a fresh connection) answer 200, on a new backend."""
    owner = make.user()
    org = make.org(owner, unique("Closed by server "))
    served = app_factory(SQLALCHEMY_ENGINE_OPTIONS=ONE_CONNECTION)
    served.add_url_rule("/api/v1/orgs/<slug>/_probe", "api_probe", api_requires(Perm.READ)(_probe))
    api = Api(served.test_client(), token_for(app, owner), org.slug)
    browser = https_client(served)
    assert login(browser, owner.email, PASSWORD).status_code == 302

    first = api.get("/_probe").get_json()["pid"]
    _end_backend(owner_url, first)
    assert browser.get(f"/o/{org.slug}/").status_code == 200

    second = api.get("/_probe").get_json()["pid"]
    assert second != first
    _end_backend(owner_url, second)
    again = api.get("/_probe")
    assert again.status_code == 200 and again.get_json()["pid"] not in (first, second)


def _sessions_left() -> dict[int, object]:
    """The request sessions still registered, by the app context they belong to."""
    return dict(db.session.registry.registry)


def test_a_connection_lost_after_the_last_statement_leaves_no_session_behind(
    app, app_factory, owner_url, make
):
    """The backend ends after the view's last statement (a restart, an idle timeout, a cut
    network): the closing rollback fails, yet the request answers what it did, and no session
    stays registered holding its org and user. A left session is found again by any later
    app context that CPython puts at the same address, which would begin its transactions as
    this request's tenant (an anonymous page, a token from outside the org)."""
    owner = make.user()
    org = make.org(owner, unique("Lost at teardown "))
    served = app_factory(SQLALCHEMY_ENGINE_OPTIONS=ONE_CONNECTION)

    def lose_the_connection():
        pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar_one()
        _end_backend(owner_url, pid)
        return jsonify(pid=pid)

    served.add_url_rule(
        "/api/v1/orgs/<slug>/_lose", "api_lose", api_requires(Perm.READ)(lose_the_connection)
    )
    served.add_url_rule("/api/v1/orgs/<slug>/_probe", "api_probe", api_requires(Perm.READ)(_probe))
    api = Api(served.test_client(), token_for(app, owner), org.slug)
    before = set(_sessions_left())

    lost = api.get("/_lose")
    assert lost.status_code == 200
    left = {k: s for k, s in _sessions_left().items() if k not in before}
    assert left == {}, "a session outlived its request: " + repr(
        [s.info.get("outlay_tenant") for s in left.values()]
    )

    again = api.get("/_probe")
    assert again.status_code == 200
    seen = again.get_json()
    assert seen["pid"] != lost.get_json()["pid"], "expected a fresh backend"
    assert (seen["org"], seen["user"]) == (str(org.id), str(owner.id))


def test_no_rate_limit_hook_runs_before_every_request(app):
    """Every limit in this app sits on a view (login, sign-up, codes...), checked by the
    view's decorator; no limiter spends a check on every other request."""
    limiters = app.extensions["limiter"]
    assert limiters
    hooks = app.before_request_funcs.get(None, [])
    assert not [h for h in hooks if any(h == lim._check_request_limit for lim in limiters)]


def test_the_list_and_the_single_item_agree_field_for_field(app, make):
    """The list serialises plain rows by position; each item is what GET /transactions/<id>
    (the ORM object's serialiser) says about the same transaction."""
    owner = make.user()
    org = make.org(owner)
    make.transaction(org, owner, amount="1234.5", description="Tagged", tags=["fuel", "van"])
    make.transaction(org, owner, kind="income", amount="0.01", currency="USD", notes="n")
    api = Api(app.test_client(), token_for(app, owner), org.slug)
    items = api.get("/transactions").get_json()["items"]
    assert len(items) == 2
    for item in items:
        assert item == api.get(f"/transactions/{item['id']}").get_json()


def test_an_api_request_neither_reads_nor_writes_the_browser_session(app, make):
    """The API authenticates by its token alone: a signed-in browser's cookie is not read
    (no token: 401, as for anyone), an API response sets no cookie and does not vary on
    one, and the security headers are still on it. The browser's session keeps working."""
    owner = make.user()
    org = make.org(owner, unique("Lane "))
    make.transaction(org, owner, amount="3.00", description="Lane row")
    browser = https_client(app)
    assert login(browser, owner.email, PASSWORD).status_code == 302

    cookie_only = browser.get(f"/api/v1/orgs/{org.slug}/transactions")
    assert cookie_only.status_code == 401
    assert cookie_only.headers["Content-Type"].startswith("application/problem+json")

    api = Api(browser, token_for(app, owner), org.slug)
    listed = api.get("/transactions")
    assert listed.status_code == 200
    assert [item["description"] for item in listed.get_json()["items"]] == ["Lane row"]
    for response in (cookie_only, listed):
        assert "Set-Cookie" not in response.headers
        assert "cookie" not in response.headers.get("Vary", "").lower()
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Cache-Control"] == "no-store, private"
        assert "frame-ancestors" in response.headers["Content-Security-Policy"]

    page = browser.get(f"/o/{org.slug}/transactions")
    assert page.status_code == 200 and b"Lane row" in page.data
