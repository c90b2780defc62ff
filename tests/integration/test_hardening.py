"""Findings of a review, each pinned: odd input is a clear 422 (never a 500), members see only
their own rules, base amounts are rounded and bounded, the token lookup fails closed."""

from __future__ import annotations

from tests.support.api import Api, fields_of, token_for
from tests.support.factories import PASSWORD
from tests.support.recurring import make_rule
from tests.support.web import login, post_form


def test_members_see_only_the_rules_they_set_up(app, client, make):
    owner, member = make.user(), make.user()
    org = make.org(owner)
    make.member(org, member, "member")
    payroll = make_rule(app, org, owner, description="Payroll", amount="9000")
    api = Api(client, token_for(app, member), org.slug)
    assert api.get("/recurring").get_json()["items"] == []
    assert api.get(f"/recurring/{payroll}").status_code == 404
    login(client, member.email, PASSWORD)
    page = client.get(f"/o/{org.slug}/recurring").get_data(as_text=True)
    assert "Payroll" not in page and "9,000" not in page


def test_a_base_amount_too_large_for_its_column_is_refused(app, client, make, owner_api):
    _owner, org, api = owner_api
    huge = make.expense_fields(org, amount="999999999999", currency="USD", rate="9999999")
    response = api.post("/transactions", huge)
    assert response.status_code == 422 and "too large" in fields_of(response)["amount"]


def test_base_amounts_are_rounded_to_the_base_currency(app, client, make):
    from app.services.orgs.orgs import update_settings
    from tenants.context import tenant_context

    owner = make.user()
    org = make.org(owner)
    with app.app_context(), tenant_context(org.id, owner.id):
        update_settings(make.seat(org, owner), org.name, "JPY")
    api = Api(client, token_for(app, owner), org.slug)
    body = api.post(
        "/transactions",
        {
            "kind": "expense",
            "date": "2024-03-15",
            "amount": "1234.56",  # in USD, converted to whole yen
            "currency": "USD",
            "category_id": make.category(org, "expense"),
        },
    ).get_json()
    assert body["amount"] == "1234.5600" and body["base_amount"].endswith(".0000")
    assert body["base_amount"] != "0.0000"


def test_odd_query_values_are_named_not_a_500(owner_api):
    _owner, _org, api = owner_api
    assert "tag" in fields_of(api.get("/transactions?tag=%00"))
    huge = "WyIxRSs5OTk5OTkiLCAxXQ"  # ["1E+999999", 1]
    response = api.get(f"/transactions?sort=amount&cursor={huge}")
    assert response.status_code == 422 and "cursor" in fields_of(response)


def test_a_posted_back_query_cannot_break_the_redirect(client, make):
    owner = make.user()
    org = make.org(owner)
    txn = make.transaction(org, owner)
    login(client, owner.email, PASSWORD)
    base = f"/o/{org.slug}/transactions"
    response = post_form(
        client,
        f"{base}/bulk",
        {"ids": [txn], "action": "delete", "back": "kind=expense\r\nSet-Cookie: x=1"},
        token_from=base,
    )
    assert response.status_code == 302
    assert response.headers["Location"] == base  # the bad filter is dropped, not echoed
    assert not any(c.startswith("x=") for c in response.headers.getlist("Set-Cookie"))


def test_the_token_lookup_says_nothing_of_an_org_to_a_non_member(app, make):
    from app.services.accounts import api_tokens

    stranger = make.user()
    org = make.org(make.user(), "Private Ltd")
    token = token_for(app, stranger)
    with app.app_context():
        access = api_tokens.resolve(token, org.slug)
    assert access is not None and access.user_id == stranger.id
    assert (access.org_id, access.org_name, access.role) == (None, None, None)
