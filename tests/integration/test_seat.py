"""One rule for who sees what: a member's Seat narrows every list and figure to their own items
(`Seat.owner_filter`, i.e. `tenants.permissions.sees_only_own_items`) — the web and API
transaction lists, the dashboard, budgets' spent figures and the portal — while an accountant's
Seat in the same org sees everything."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app import clock, money
from app.errors import NotFound
from app.services.accounts import portal_tokens
from streamlit_portal import runtime
from tests.support.api import Api, token_for
from tests.support.factories import PASSWORD
from tests.support.web import login

ENTRY = Path(__file__).resolve().parents[2] / "streamlit_portal" / "app.py"
AMOUNT = re.compile(r'data-testid="([a-z-]+)" data-amount="([-0-9.]+)"')


@pytest.fixture
def story(app, make):
    """An org with an owner's 70.00 and a member's 30.00 expense this month, and a monthly
    budget for all spending."""
    from app.services.budgets import budgets
    from tenants.context import tenant_context

    owner, member, accountant = make.user(), make.user(), make.user()
    org = make.org(owner)
    make.member(org, member, "member")
    make.member(org, accountant, "accountant")
    today = clock.today(org.time_zone).isoformat()
    theirs = make.transaction(org, owner, amount="70.00", description="Owner lunch", date=today)
    mine = make.transaction(
        org, member, "member", amount="30.00", description="Member taxi", date=today
    )
    make.approve_all(org, owner)  # a member's expense counts once approved
    with app.app_context(), tenant_context(org.id, owner.id):
        budgets.create(make.seat(org, owner), {"amount": "500", "period": "monthly"})
    return {
        "org": org,
        "owner": owner,
        "member": member,
        "accountant": accountant,
        "theirs": theirs,
        "mine": mine,
    }


def portal_expenses(app, user, org, role: str) -> str:
    runtime.use_app(app)
    token = portal_tokens.mint(app.config["SECRET_KEY"], user.id, org.id, org.slug, role)
    at = AppTest.from_file(str(ENTRY), default_timeout=30)
    at.query_params["token"] = token
    at.run()
    assert not at.exception, at.exception
    return {m.label: m.value for m in at.metric}["Expenses"]


@pytest.mark.parametrize(
    ("who", "role", "sees_all"), [("member", "member", False), ("accountant", "accountant", True)]
)
def test_the_seat_decides_what_a_person_sees_everywhere(
    app, make, new_client, story, who, role, sees_all
):
    org, person = story["org"], story[who]
    expected = Decimal("100.00") if sees_all else Decimal("30.00")
    descriptions = {"Member taxi", "Owner lunch"} if sees_all else {"Member taxi"}

    browser = new_client()
    login(browser, person.email, PASSWORD)
    # The transactions list on the web.
    page = browser.get(f"/o/{org.slug}/transactions").get_data(as_text=True)
    assert "Member taxi" in page
    assert ("Owner lunch" in page) is sees_all
    # The dashboard's figures.
    shown = dict(AMOUNT.findall(browser.get(f"/o/{org.slug}/").get_data(as_text=True)))
    assert Decimal(shown["expense-month"]) == expected
    assert Decimal(shown["balance-all"]) == -expected
    # The budget's spent figure.
    shown = dict(AMOUNT.findall(browser.get(f"/o/{org.slug}/budgets").get_data(as_text=True)))
    assert Decimal(shown["spent"]) == expected

    api = Api(new_client(), token_for(app, person), org.slug)
    # The API's transactions list, its dashboard and its budgets.
    items = api.get("/transactions").get_json()["items"]
    assert {t["description"] for t in items} == descriptions
    assert Decimal(api.get("/dashboard").get_json()["totals"]["expense_month"]) == expected
    (budget,) = api.get("/budgets").get_json()["items"]
    assert Decimal(budget["current"]["spent"]) == expected
    # Someone else's transaction: not there for a member, there for an accountant.
    assert api.get(f"/transactions/{story['theirs']}").status_code == (200 if sees_all else 404)

    # The portal's figures.
    assert portal_expenses(app, person, org, role) == money.display(expected, "EUR")


def test_services_narrow_by_the_seat_they_are_handed(app, make, story):
    """The same call, two Seats: the use case reads the narrowing from the Seat alone."""
    from app.services.ledger import transactions
    from app.services.recurring import recurring
    from tenants.context import tenant_context
    from tests.support.recurring import make_rule

    org, member, accountant = story["org"], story["member"], story["accountant"]
    rule_of_owner = make_rule(app, org, story["owner"])
    with app.app_context(), tenant_context(org.id, member.id):
        seat = make.seat(org, member, "member")
        assert seat.own_items_only and seat.owner_filter == member.id
        assert transactions.get(seat, story["mine"]).description == "Member taxi"
        with pytest.raises(NotFound):
            transactions.get(seat, story["theirs"])
        with pytest.raises(NotFound):
            transactions.bulk_delete(seat, [story["theirs"]])
        assert recurring.rules(seat) == []
    with app.app_context(), tenant_context(org.id, accountant.id):
        seat = make.seat(org, accountant, "accountant")
        assert not seat.own_items_only and seat.owner_filter is None
        assert transactions.get(seat, story["theirs"]).description == "Owner lunch"
        assert [r.id for r in recurring.rules(seat)] == [rule_of_owner]
