"""The JSON API for transactions: CRUD by role, per-field problems, tokens, isolation."""

from __future__ import annotations

import pytest

from tests.support.api import Api, fields_of, token_for


@pytest.fixture
def org_setup(app, make, client):
    owner = make.user()
    org = make.org(owner)
    api = Api(client, token_for(app, owner), org.slug)
    return owner, org, api


def test_owner_creates_reads_updates_and_deletes(org_setup, make):
    _owner, org, api = org_setup
    rent = make.category(org, "expense")
    created = api.post(
        "/transactions",
        {
            "kind": "expense",
            "date": "2026-11-03",
            "amount": "1250.50",
            "category_id": rent,
            "description": "November rent",
            "tags": ["Office", "rent"],
        },
    )
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["amount"] == "1250.5000" and body["currency"] == org.base_currency
    assert body["tags"] == ["office", "rent"]
    assert created.headers["Location"].endswith(f"/transactions/{body['id']}")

    assert api.get(f"/transactions/{body['id']}").get_json()["description"] == "November rent"
    changed = api.patch(f"/transactions/{body['id']}", {"amount": "1300"})
    assert changed.status_code == 200 and changed.get_json()["amount"] == "1300.0000"
    assert changed.get_json()["description"] == "November rent"

    listed = api.get("/transactions").get_json()
    assert [t["id"] for t in listed["items"]] == [body["id"]]

    assert api.delete(f"/transactions/{body['id']}").status_code == 204
    assert api.get(f"/transactions/{body['id']}").status_code == 404


def test_bad_input_names_every_field_and_writes_nothing(org_setup, make):
    _owner, _org, api = org_setup
    bad = api.post(
        "/transactions",
        {
            "kind": "refund",
            "date": "2026-02-30",
            "amount": "-5",
            "currency": "XYZ",
            "category_id": 999999,
            "description": "x" * 201,
            "notes": 42,
            "tags": "not-a-list" * 10,
            "colour": "red",
        },
    )
    assert bad.status_code == 422
    assert bad.mimetype == "application/problem+json"
    problems = fields_of(bad)
    assert set(problems) >= {"kind", "date", "amount", "currency", "description", "notes"}
    assert "colour" in problems
    assert api.get("/transactions").get_json()["items"] == []


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-1", "greater than zero"),
        ("0", "greater than zero"),
        ("abc", "not a number"),
        ("1.23456", "at most 4 decimal"),
        (12.5, "as a string"),
        (True, "as a string"),
        (["1"], "as a number"),
        ("1e30", "not a number"),
        ("1" * 16, "too large"),
    ],
)
def test_amounts_are_refused_with_a_reason(org_setup, make, amount, message):
    _owner, org, api = org_setup
    payload = {
        "kind": "expense",
        "date": "2026-01-01",
        "amount": amount,
        "category_id": make.category(org, "expense"),
    }
    response = api.post("/transactions", payload)
    assert response.status_code == 422
    assert message in fields_of(response)["amount"]


def test_a_category_of_another_org_cannot_be_attached(org_setup, make, app):
    _owner, _org, api = org_setup
    other = make.org(make.user())
    foreign = make.category(other, "expense")
    response = api.post(
        "/transactions",
        {"kind": "expense", "date": "2026-01-01", "amount": "5", "category_id": foreign},
    )
    assert response.status_code == 422
    assert "category_id" in fields_of(response)


def test_category_of_the_other_kind_is_refused(org_setup, make):
    _owner, org, api = org_setup
    salary = make.category(org, "income")
    response = api.post(
        "/transactions",
        {"kind": "expense", "date": "2026-01-01", "amount": "5", "category_id": salary},
    )
    assert response.status_code == 422
    assert "income category" in fields_of(response)["category_id"]


def test_tokens_are_required_valid_and_scoped(app, client, make):
    owner = make.user()
    org = make.org(owner)
    assert client.get(f"/api/v1/orgs/{org.slug}/transactions").status_code == 401
    bad = client.get(
        f"/api/v1/orgs/{org.slug}/transactions", headers={"Authorization": "Bearer olt_nope"}
    )
    assert bad.status_code == 401 and bad.headers["WWW-Authenticate"].startswith("Bearer")
    stranger_token = token_for(app, make.user())
    stranger = Api(client, stranger_token, org.slug)
    assert stranger.get("/transactions").status_code == 404
    assert Api(client, stranger_token, "no-such-org").get("/transactions").status_code == 404


def test_revoked_token_stops_working(app, client, make):
    from app.services.accounts import api_tokens

    owner = make.user()
    org = make.org(owner)
    token = token_for(app, owner)
    api = Api(client, token, org.slug)
    assert api.get("/transactions").status_code == 200
    with app.app_context():
        # Token rows are visible only as their user (RLS on api_tokens): list them as the owner.
        (row,) = [t for t in api_tokens.tokens(owner.id) if t.prefix == token[:12]]
        api_tokens.revoke(owner.id, row.id)
    assert api.get("/transactions").status_code == 401


def test_roles_through_the_api(app, client, make):
    owner = make.user()
    org = make.org(owner)
    viewer, member, accountant = make.user(), make.user(), make.user()
    make.member(org, viewer, "viewer")
    make.member(org, member, "member")
    make.member(org, accountant, "accountant")
    owners_txn = make.transaction(org, owner, amount="100")
    category = make.category(org, "expense")
    payload = {"kind": "expense", "date": "2026-01-05", "amount": "7", "category_id": category}

    as_viewer = Api(client, token_for(app, viewer), org.slug)
    assert len(as_viewer.get("/transactions").get_json()["items"]) == 1
    assert as_viewer.post("/transactions", payload).status_code == 403
    assert as_viewer.delete(f"/transactions/{owners_txn}").status_code == 403
    assert as_viewer.post("/categories", {"name": "X", "kind": "expense"}).status_code == 403

    as_member = Api(client, token_for(app, member), org.slug)
    assert as_member.get("/transactions").get_json()["items"] == []  # only their own
    assert as_member.get(f"/transactions/{owners_txn}").status_code == 404
    mine = as_member.post("/transactions", payload)
    assert mine.status_code == 201
    assert [t["id"] for t in as_member.get("/transactions").get_json()["items"]] == [
        mine.get_json()["id"]
    ]
    assert as_member.post("/categories", {"name": "X", "kind": "expense"}).status_code == 403

    as_accountant = Api(client, token_for(app, accountant), org.slug)
    assert len(as_accountant.get("/transactions").get_json()["items"]) == 2
    made = as_accountant.post("/categories", {"name": "Coffee", "kind": "expense"})
    assert made.status_code == 201
    assert as_accountant.delete(f"/transactions/{owners_txn}").status_code == 204


def test_bulk_recategorise_and_delete(org_setup, make):
    owner, org, api = org_setup
    ids = [make.transaction(org, owner, amount=str(n)) for n in (1, 2, 3)]
    coffee = make.category(org, "expense", "Coffee")
    moved = api.post(
        "/transactions/bulk", {"action": "recategorise", "ids": ids[:2], "category_id": coffee}
    )
    assert moved.get_json() == {"action": "recategorise", "count": 2}
    listed = api.get(f"/transactions?category={coffee}").get_json()["items"]
    assert sorted(t["id"] for t in listed) == sorted(ids[:2])
    gone = api.post("/transactions/bulk", {"action": "delete", "ids": ids})
    assert gone.get_json()["count"] == 3
    assert api.get("/transactions").get_json()["items"] == []


def test_openapi_document_lists_every_api_route(app, client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    documented = {
        (path.replace("{", "<").replace("}", ">"), method.upper())
        for path, item in doc["paths"].items()
        for method in item
        if method != "parameters"
    }
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/orgs/"):
            path = rule.rule.replace("<int:", "<")
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                routes.add((path, method))
    assert routes - documented == set(), "document these routes in app/api/openapi.py"


def test_member_cannot_bulk_change_anothers_transactions(app, client, make):
    owner, member = make.user(), make.user()
    org = make.org(owner)
    make.member(org, member, "member")
    theirs = make.transaction(org, owner, amount="50")
    mine = make.transaction(org, member, role="member", amount="5")
    api = Api(client, token_for(app, member), org.slug)
    refused = api.post("/transactions/bulk", {"action": "delete", "ids": [mine, theirs]})
    assert refused.status_code == 404
    owner_api = Api(client, token_for(app, owner), org.slug)
    assert owner_api.get(f"/transactions/{theirs}").status_code == 200
    assert api.get(f"/transactions/{mine}").status_code == 200  # nothing was deleted
