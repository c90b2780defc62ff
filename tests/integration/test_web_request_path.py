"""The web's request path for an org page: what one page sends to PostgreSQL before its own
work, counted on the wire (so the driver's BEGIN and ROLLBACK and any ping count too), and that
the cheaper path keeps tenancy whole on a pooled connection."""

from __future__ import annotations

from flask import g, jsonify

from app.extensions import db
from tenants.permissions import Perm, login_only, requires
from tests.support.factories import PASSWORD, unique
from tests.support.pooled import between_requests
from tests.support.web import https_client, login
from tests.support.wire import app_through

# One connection, reset on return by the app's own pool hook only (app/db_pool.py).
ONE_CONNECTION_OWN_RESET = {
    "pool_size": 1,
    "max_overflow": 0,
    "pool_pre_ping": False,
    "pool_reset_on_return": None,
}


def _signed_in(app, user):
    browser = https_client(app)
    assert login(browser, user.email, PASSWORD).status_code == 302
    return browser


def test_an_org_page_enters_its_org_in_one_statement(app, app_factory, owner_url, wire, make):
    """The Analytics hand-over is the fixed part of every org page and little else: BEGIN, the
    revocable session with its user (one statement), the org with the membership and the
    tenant settings (one statement), the layout's navbar figures (one statement, which reads
    the approval policy for the approvals count itself), ROLLBACK. No separate set_config for
    the user or the org, no separate policy read, no ping, one rollback."""
    owner = make.user()
    org = make.org(owner, unique("Web path "))
    counted = app_through(app_factory, owner_url, wire)
    browser = _signed_in(counted, owner)
    assert browser.get(f"/o/{org.slug}/analytics").status_code == 200  # warm

    wire.clear()
    response = browser.get(f"/o/{org.slug}/analytics")
    trips = wire.taken()

    assert response.status_code == 200
    assert len(trips) == 5, trips
    begin, session_open, entry, navbar, end = trips
    assert (begin, end) == ("BEGIN", "ROLLBACK")
    assert "outlay_session_open" in session_open and "JOIN users" in session_open
    assert "outlay_org_entry" in entry and "set_config('app.org_id'" in entry
    assert "set_config('app.user_id'" in entry
    assert "approval_policies" in navbar and "SELECT count(*)" in navbar
    assert [t for t in trips if "set_config" in t] == [entry]


def test_the_dashboard_adds_only_its_own_statements(app, app_factory, owner_url, wire, make):
    """The dashboard: the same fixed part (3 trips before the page, the layout's 1, ROLLBACK)
    and its own four statements."""
    owner = make.user()
    org = make.org(owner, unique("Web dash "))
    make.transaction(org, owner, amount="12.50", description="Dash row")
    counted = app_through(app_factory, owner_url, wire)
    browser = _signed_in(counted, owner)
    assert browser.get(f"/o/{org.slug}/").status_code == 200

    wire.clear()
    response = browser.get(f"/o/{org.slug}/")
    trips = wire.taken()
    assert response.status_code == 200 and b"Dash row" in response.data
    assert len(trips) == 9, trips
    assert trips[0] == "BEGIN" and trips[-1] == "ROLLBACK"
    assert "outlay_org_entry" in trips[2]
    assert [t for t in trips if "set_config" in t] == [trips[2]]
    assert trips.count("ROLLBACK") == 1


def test_a_refused_entry_is_one_statement_and_sets_no_org(app, app_factory, owner_url, wire, make):
    """A signed-in stranger asking for an org: 404 as before, from the one entry statement,
    which set the user and no org; nothing of the org's is read."""
    owner = make.user()
    org = make.org(owner, unique("Web closed "))
    make.transaction(org, owner, amount="1.00", description="Not for strangers")
    stranger = make.user()
    make.org(stranger, unique("Stranger's "))
    counted = app_through(app_factory, owner_url, wire)
    browser = _signed_in(counted, stranger)
    browser.get(f"/o/{org.slug}/transactions")

    wire.clear()
    response = browser.get(f"/o/{org.slug}/transactions")
    trips = wire.taken()
    assert response.status_code == 404 and b"Not for strangers" not in response.data
    entries = [t for t in trips if "outlay_org_entry" in t]
    assert len(entries) == 1
    assert [t for t in trips if "FROM transactions" in t] == []
    # The error handler rolls back; the error page's own transaction sets no org, the user.
    later = [t for t in trips if "set_config" in t and t not in entries]
    assert (
        later
        == [
            f"SELECT set_config('app.org_id', '', true), "
            f"set_config('app.user_id', '{stranger.id}', true)"
        ]
        or later == []
    )


def test_one_pooled_connection_serves_org_a_then_org_b_pages(app, app_factory, make):
    """One browser, a member of A and of B, on an app whose pool is one connection (with the
    app's own reset on return): A's list, then B's, alternately, each shows only its own
    rows; a refused request in between leaves nothing set; nothing survives between requests."""
    served = app_factory(SQLALCHEMY_ENGINE_OPTIONS=ONE_CONNECTION_OWN_RESET)
    person = make.user()
    orgs = []
    for label in ("A", "B"):
        org = make.org(person, unique(f"Pooled {label} "))
        make.transaction(org, person, amount="2.00", description=f"Row of {label}")
        orgs.append((label, org))
    other_owner = make.user()
    elsewhere = make.org(other_owner, unique("Pooled C "))
    make.transaction(elsewhere, other_owner, amount="1.00", description="Row of C")
    browser = _signed_in(served, person)
    with served.app_context():
        engine = db.engine

    pids = set()
    for _round in range(3):
        for label, org in orgs:
            html = browser.get(f"/o/{org.slug}/transactions").get_data(as_text=True)
            other = "B" if label == "A" else "A"
            assert f"Row of {label}" in html and f"Row of {other}" not in html
            between = between_requests(engine, "transactions")
            pids.add(between[0])
            assert between[1:] == ("", "", 0), "a setting survived the request"
        assert browser.get(f"/o/{elsewhere.slug}/transactions").status_code == 404
        between = between_requests(engine, "transactions")
        pids.add(between[0])
        assert between[1:] == ("", "", 0)
    assert len(pids) == 1, f"expected one pooled connection, saw backends {pids}"


def _identity():
    identity = g.get("identity")
    return jsonify(identity=None if identity is None else str(identity.id))


def test_org_routes_skip_principal_and_the_rest_keep_it(app_factory, make):
    """Flask-Principal's identity load runs for the views that may ask Principal (account
    pages, Flask-Security's own) and not on org routes, whose guard is the role in the org."""
    served = app_factory()
    served.add_url_rule("/o/<slug>/_identity", "org_identity", requires(Perm.READ)(_identity))
    served.add_url_rule("/_identity", "login_identity", login_only(_identity))
    owner = make.user()
    org = make.org(owner, unique("Principal "))
    browser = _signed_in(served, owner)
    assert browser.get(f"/o/{org.slug}/_identity").get_json() == {"identity": None}
    assert browser.get("/_identity").get_json()["identity"] is not None


def test_a_connection_dropped_mid_transaction_is_rolled_back_on_return(app, app_factory):
    """The app's pool does not roll back a second time on return (the session's close did);
    its reset (app/db_pool.py) rolls back what no session did: a connection checked out raw
    and left inside a transaction with a tenant setting comes back clean."""
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_reset_on_return"] is None
    served = app_factory(SQLALCHEMY_ENGINE_OPTIONS=ONE_CONNECTION_OWN_RESET)
    with served.app_context():
        engine = db.engine
        raw = engine.raw_connection()
        cursor = raw.cursor()
        cursor.execute("SELECT pg_backend_pid(), set_config('app.org_id', '1', true)")
        pid = cursor.fetchone()[0]
        cursor.close()
        raw.close()  # back to the pool, still inside its transaction
        with engine.connect() as conn:
            again = conn.execute(
                db.text("SELECT pg_backend_pid(), current_setting('app.org_id', true)")
            ).one()
    assert again[0] == pid, "expected the same pooled connection"
    assert again[1] in ("", None), "a setting survived the return to the pool"
