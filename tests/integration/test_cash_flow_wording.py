"""Cash flow says what the figures show: a balance already below zero is below zero today, and
a member's balance is called the balance of their entries (portal and dashboard)."""

from __future__ import annotations

from tests.integration import test_portal as shared
from tests.integration.test_portal import metrics, token
from tests.support.factories import PASSWORD
from tests.support.web import login

portal = shared.portal  # the portal's AppTest fixture


def cash_flow(at):
    at.switch_page("views/cash_flow.py").run()
    assert not at.exception, at.exception
    return at


def test_a_balance_below_zero_is_said_to_be_below_zero_today(app, make, portal):
    owner = make.user()
    org = make.org(owner)
    make.transaction(org, owner, kind="expense", amount="35.90")
    at = cash_flow(portal(token(app, owner, org)))
    assert metrics(at)["Balance today"] == "-€35.90"
    said = " ".join(e.value for e in (*at.error, *at.warning, *at.success))
    assert "below zero today" in said
    assert "would go below zero" not in said and "stays above zero" not in said


def test_a_members_balance_is_labelled_as_their_own_entries(
    app,
    make,
    portal,
    client,
    new_client,
):
    owner, member = make.user(), make.user()
    org = make.org(owner)
    make.member(org, member, "member")
    make.transaction(org, owner, kind="income", amount="1000.00")
    make.transaction(org, member, role="member", kind="income", amount="20.00")
    at = cash_flow(portal(token(app, member, org, "member")))
    assert metrics(at)["Balance of your entries today"] == "€20.00"
    assert "Balance today" not in metrics(at)
    owners = cash_flow(portal(token(app, owner, org)))
    assert metrics(owners)["Balance today"] == "€1,020.00"

    login(client, member.email, PASSWORD)
    page = client.get(f"/o/{org.slug}/").get_data(as_text=True)
    assert "Balance of your entries, all time" in page
    owner_browser = new_client()
    login(owner_browser, owner.email, PASSWORD)
    page = owner_browser.get(f"/o/{org.slug}/").get_data(as_text=True)
    assert "Balance, all time" in page and "your entries" not in page
