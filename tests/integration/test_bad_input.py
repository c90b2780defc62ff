"""Issue 10.7's examples, each pinned: bad input is a 422 naming the field (never a 500), six
accepts of one invitation make one member, and a database outage is a 503 with Retry-After.
Also the problem `type` of each kind of error (12.7)."""

from __future__ import annotations

import base64
import json
import socket
import threading

import pytest
from flask import Flask

from app import create_app
from tests.support.api import Api, fields_of, token_for
from tests.support.factories import PASSWORD
from tests.support.processes import wait_for
from tests.support.settings import make_config
from tests.support.web import csrf, https_client, login, post_form

DEEP = "[" * 100_000 + "]" * 100_000
TYPE = "urn:outlay:problem:"


def _cursor(value: str, row_id: int = 1) -> str:
    return base64.urlsafe_b64encode(json.dumps([value, row_id]).encode()).decode().rstrip("=")


@pytest.mark.parametrize("path", ["/", "/login", "/api/v1/rates", "/no/such/page", "/o/x/budgets"])
def test_a_deeply_nested_body_is_refused_anywhere_logged_in_or_not(app, client, make, path):
    owner = make.user()
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    anonymous = client.post(path, data=DEEP, headers={**headers, "X-CSRFToken": csrf(client)})
    login(client, owner.email, PASSWORD)
    token = {"X-CSRFToken": csrf(client, "/profile"), "Authorization": "Bearer x"}
    signed_in = client.post(path, data=DEEP, headers={**headers, **token})
    for response in (anonymous, signed_in):
        assert response.status_code == 422, response.get_data(as_text=True)[:300]
        assert "body" in fields_of(response)


def test_a_deeply_nested_body_on_a_get_is_refused_before_the_login_check(client):
    """Flask-Security's request loader reads JSON bodies too: it must get the guarded parse."""
    response = client.open(
        "/o/x/transactions/new", method="GET", data=DEEP, content_type="application/json"
    )
    assert response.status_code == 422


@pytest.mark.parametrize("value", ["1e-20000", "1E+999999", "NaN", "-0.00001", "1_0", "٣"])
def test_a_forged_amount_cursor_is_a_422_on_the_api_and_the_page(app, client, make, value):
    owner = make.user()
    org = make.org(owner)
    api = Api(client, token_for(app, owner), org.slug)
    response = api.get(f"/transactions?sort=amount&cursor={_cursor(value)}")
    assert response.status_code == 422 and "cursor" in fields_of(response)
    login(client, owner.email, PASSWORD)
    page = client.get(f"/o/{org.slug}/transactions?sort=amount&cursor={_cursor(value)}")
    assert page.status_code == 422  # the list says so, with the filters kept


def test_a_forged_date_cursor_is_a_422(owner_api):
    _owner, _org, api = owner_api
    for value in ("20261120", "2026-W47-5", "0001-01-01"):
        response = api.get(f"/transactions?cursor={_cursor(value)}")
        assert response.status_code == 422 and "cursor" in fields_of(response)


@pytest.mark.parametrize(
    ("path", "payload", "field"),
    [
        ("/transactions", {"description": "\ud800", "amount": "1"}, "description"),
        ("/transactions", {"notes": "ok \udfff ok"}, "notes"),
        ("/transactions", {"tags": ["\ud83d"]}, "tags"),
        ("/categories", {"name": "Rent\ud800", "kind": "expense"}, "name"),
        ("/payment-methods", {"name": "\udc00"}, "name"),
        ("/budgets", {"name": "\ud800", "amount": "1", "period": "monthly"}, "name"),
        ("/recurring", {"description": "\ud800"}, "description"),
        # Values of the wrong type, and NUL characters, which PostgreSQL text cannot hold.
        ("/budgets", {"amount": "10", "period": "monthly", "rollover": []}, "rollover"),
        ("/recurring", {"is_bill": {}, "amount": "1", "frequency": "monthly"}, "is_bill"),
        ("/categories", {"name": "Nul\x00", "kind": "expense"}, "name"),
        ("/payment-methods", {"name": "\x00"}, "name"),
    ],
)
def test_a_lone_surrogate_odd_value_or_nul_in_json_is_named_not_a_500(
    owner_api, path, payload, field
):
    _owner, _org, api = owner_api
    response = api.post(path, payload)
    assert response.status_code == 422, response.get_data(as_text=True)
    assert field in fields_of(response)


def test_a_lone_surrogate_in_a_form_is_not_a_500(client, make):
    owner = make.user()
    org = make.org(owner)
    login(client, owner.email, PASSWORD)
    new = f"/o/{org.slug}/categories"
    # %ED%A0%80 is U+D800 in (invalid) UTF-8; the form decoder must not hand it on.
    body = f"csrf_token={csrf(client, new)}&name=%ED%A0%80&kind=expense"
    response = client.post(new, data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code in (200, 302, 422)


def test_huge_and_tiny_json_numbers_are_refused_by_field(owner_api):
    _owner, _org, api = owner_api
    for raw, field in (
        ('{"amount": 1e400}', "amount"),
        ('{"category_id": 1' + "0" * 40 + "}", "category_id"),
        ('{"amount": 1' + "0" * 5000 + "}", "body"),
        ('{"amount": NaN}', "body"),
    ):
        response = api.client.post(
            api.base + "/transactions",
            data=raw,
            headers={**api.headers, "Content-Type": "application/json"},
        )
        assert response.status_code == 422 and field in fields_of(response), raw
    response = api.post("/transactions", {"amount": 1e-300, "kind": "expense"})
    assert response.status_code == 422 and "amount" in fields_of(response)


def test_six_accepts_of_one_invitation_at_once_make_one_member(app, make):
    from app.extensions import db
    from app.models import Membership
    from app.services.orgs import members
    from tenants.context import tenant_context

    owner, invitee = make.user(), make.user()
    org = make.org(owner)
    with app.test_request_context(), tenant_context(org.id, owner.id):
        sent = members.invite(make.seat(org, owner), invitee.email, "accountant")
        token = members._serializer().dumps({"org": org.id, "inv": sent.id})
    link = f"/invitations/{token}"
    browsers = []
    for _ in range(6):
        browser = https_client(app)
        login(browser, invitee.email, PASSWORD)
        browsers.append((browser, csrf(browser, link)))
    start = threading.Barrier(len(browsers))
    answers: list[object] = []

    def accept(browser, csrf_token):
        start.wait()
        try:
            answers.append(browser.post(link, data={"csrf_token": csrf_token}))
        except Exception as exc:  # a 500 propagates in testing; keep it to report
            answers.append(exc)

    threads = [threading.Thread(target=accept, args=pair) for pair in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = sorted(getattr(a, "status_code", repr(a)) for a in answers)
    joined = [a for a in answers if getattr(a, "status_code", None) == 302]
    assert len(joined) == 1 and f"/o/{org.slug}" in joined[0].headers["Location"], statuses
    assert all(s in (302, 404, 409) for s in statuses), statuses
    refusals = [a.get_data(as_text=True) for a in answers if a is not joined[0]]
    assert all("already been used" in page for page in refusals)
    with app.app_context(), tenant_context(org.id, owner.id):
        count = db.session.scalar(
            db.select(db.func.count())
            .select_from(Membership)
            .where(Membership.org_id == org.id, Membership.user_id == invitee.id)
        )
    assert count == 1


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def outage_app(redis_url, instance_dir, mailbox) -> Flask:
    """The app with its database gone: nothing listens where PostgreSQL should be."""
    gone = f"postgresql://postgres@127.0.0.1:{_closed_port()}/outlay"
    return create_app(make_config(gone, redis_url, instance_dir, mailbox.port))


def test_a_database_outage_is_a_503_with_retry_after(app, make, outage_app):
    user = make.user()
    token = token_for(app, user)
    api = outage_app.test_client().get(
        "/api/v1/orgs/acme/transactions", headers={"Authorization": f"Bearer {token}"}
    )
    assert api.status_code == 503 and int(api.headers["Retry-After"]) > 0
    assert api.get_json()["type"] == TYPE + "unavailable"

    browser = outage_app.test_client()
    browser.environ_base["wsgi.url_scheme"] = "https"
    browser.environ_base["HTTP_REFERER"] = "https://outlay.test/"
    page = post_form(browser, "/login", {"email": user.email, "password": PASSWORD})
    assert page.status_code == 503 and int(page.headers["Retry-After"]) > 0
    assert "cannot reach its database" in page.get_data(as_text=True)


def test_each_kind_of_error_has_its_own_problem_type(app, app_factory, client, make):
    owner, viewer = make.user(), make.user()
    org = make.org(owner)
    make.member(org, viewer, "viewer")
    api = Api(client, token_for(app, owner), org.slug)
    as_viewer = Api(client, token_for(app, viewer), org.slug)

    invalid = api.post("/transactions", {"amount": "1,5"})
    missing = api.get("/transactions/999999999")
    forbidden = as_viewer.post("/categories", {"name": "Rent", "kind": "expense"})
    parent = api.post("/categories", {"name": "Housing", "kind": "expense"}).get_json()["id"]
    api.post("/categories", {"name": "Rent", "kind": "expense", "parent_id": parent})
    conflict = api.delete(f"/categories/{parent}")
    limited_app = app_factory(RATELIMIT_LOGIN="1 per minute")
    browser = https_client(limited_app)
    for _ in range(3):
        limited = post_form(
            browser,
            "/login",
            {"email": "x@example.com", "password": "wrong"},
            headers={"Accept": "application/json"},
        )
    expected = {
        422: "validation",
        404: "not-found",
        403: "forbidden",
        409: "conflict",
        429: "rate-limited",
    }
    for response in (invalid, missing, forbidden, conflict, limited):
        assert response.status_code in expected, response.get_data(as_text=True)[:300]
        body = response.get_json()
        assert body["type"] == TYPE + expected[response.status_code]
        assert body["status"] == response.status_code
    document = client.get("/api/v1/openapi.json").get_json()
    listed = document["components"]["x-problem-types"]
    assert {TYPE + kind for kind in expected.values()} <= set(listed)
    assert set(listed) <= set(
        document["components"]["schemas"]["Problem"]["properties"]["type"]["enum"]
    )


def test_connections_cut_by_a_database_restart_are_replaced_not_a_500(
    app_factory, make, owner_engine
):
    """What a PostgreSQL restart does to a running app once the server is back: every pooled
    connection was cut (pg_terminate_backend is what a fast shutdown sends each backend). The
    pool notices the closed sockets at checkout (app/db_pool.py) and the requests are served:
    no 500, and no 503 either, for reads, writes, pages and the login. (While the server is
    down, requests are a 503 with Retry-After: the test above.)"""
    from sqlalchemy import text

    from tests.support.factories import unique

    name = unique("restart")
    restart_app = app_factory(
        SQLALCHEMY_ENGINE_OPTIONS={
            "pool_pre_ping": False,
            "pool_recycle": 1800,
            "pool_size": 3,
            "connect_args": {"application_name": name},
        }
    )
    owner = make.user()
    org = make.org(owner)
    category = make.category(org)
    api = Api(https_client(restart_app), token_for(restart_app, owner), org.slug)
    browser = https_client(restart_app)
    login(browser, owner.email, PASSWORD)
    expense = {"kind": "expense", "amount": "1", "date": "2026-01-02", "category_id": category}

    def statuses() -> list[int]:
        return [
            api.get("/transactions").status_code,
            api.post("/transactions", expense).status_code,
            browser.get(f"/o/{org.slug}/transactions").status_code,
            browser.get(f"/o/{org.slug}/").status_code,
            post_form(
                https_client(restart_app), "/login", {"email": owner.email, "password": "x"}
            ).status_code,
        ]

    served = [200, 201, 200, 200, 200]
    assert statuses() == served  # the pool holds connections now
    for _ in range(3):
        with owner_engine.begin() as conn:
            cut = conn.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE application_name = :n"
                ),
                {"n": name},
            ).scalar()
        assert cut >= 1
        wait_for(lambda: _backends(owner_engine, name) == 0, 30, "the cut backends to exit")
        assert statuses() == served


def _backends(engine, application_name: str) -> int:
    from sqlalchemy import text

    with engine.connect() as conn:
        return conn.execute(
            text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :n"),
            {"n": application_name},
        ).scalar()
