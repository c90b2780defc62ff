"""The approval pages as people use them: a member's save goes to the queue, the dashboard
shows what awaits approval beside (not in) its figures, the approver works the queue oldest
first, filters it and approves in bulk, and the transaction page shows the timeline."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

from app import clock
from tests.support.factories import PASSWORD
from tests.support.web import login, post_form


def people(make, new_client):
    owner, accountant, member = make.user(), make.user(), make.user()
    org = make.org(owner)
    make.member(org, accountant, "accountant")
    make.member(org, member, "member")
    clients = {}
    for name, user in (("owner", owner), ("accountant", accountant), ("member", member)):
        clients[name] = new_client()
        login(clients[name], user.email, PASSWORD)
    return org, (owner, accountant, member), clients


def expense(make, org, user, role, amount, day, description):
    return make.transaction(
        org, user, role, amount=amount, date=day.isoformat(), description=description
    )


def balance(html: str) -> Decimal:
    return Decimal(re.search(r'data-testid="balance-all" data-amount="([^"]+)"', html).group(1))


def test_pending_is_shown_beside_the_figures_and_counts_once_approved(make, new_client):
    org, (owner, _accountant, member), clients = people(make, new_client)
    today = clock.today()
    expense(make, org, owner, "owner", "100", today, "Rent share")
    expense(make, org, member, "member", "12.50", today, "Taxi")
    expense(make, org, member, "member", "30", today, "Lunch")
    base = f"/o/{org.slug}/"
    page = clients["owner"].get(base).get_data(as_text=True)
    assert balance(page) == Decimal("-100")  # the two pending expenses count nowhere yet
    assert "Awaiting approval: 2, €42.50" in page
    mine = clients["member"].get(base).get_data(as_text=True)
    assert "Your expenses awaiting approval: 2, €42.50" in mine and balance(mine) == 0
    queue = clients["accountant"].get(f"/o/{org.slug}/approvals").get_data(as_text=True)
    assert 'data-testid="approvals-count">2<' in queue
    ids = re.findall(r'name="ids" value="(\d+)"', queue)
    post_form(
        clients["accountant"],
        f"/o/{org.slug}/approvals/bulk",
        {"ids": ids},
        token_from=f"/o/{org.slug}/approvals",
    )
    page = clients["owner"].get(base).get_data(as_text=True)
    assert balance(page) == Decimal("-142.50") and 'data-testid="pending"' not in page
    assert 'data-testid="approvals-count"' not in page


def test_the_queue_is_oldest_first_filtered_and_shows_only_what_i_may_decide(make, new_client):
    org, (owner, accountant, member), clients = people(make, new_client)
    today = clock.today()
    path = f"/o/{org.slug}/approvals"
    settings = f"/o/{org.slug}/settings/approvals"
    policy = {"members_need_approval": "on", "receipt_amount": "", "digest_days": "3"}
    post_form(
        clients["owner"], settings, policy | {"accountant_limit": "1000"}, token_from=settings
    )
    first = expense(make, org, member, "member", "20", today, "First in")
    expense(make, org, accountant, "accountant", "15", today, "Accountant's own")
    second = expense(make, org, member, "member", "900", today - timedelta(days=40), "Second in")
    owner_view = clients["owner"].get(path).get_data(as_text=True)
    # Oldest submission first (not oldest date); the accountant's own needs no approval.
    assert re.findall(r'name="ids" value="(\d+)"', owner_view) == [str(first), str(second)]
    assert "Accountant&#39;s own" not in owner_view
    wanted = clients["owner"].get(path + "?min=100&max=1000.5").get_data(as_text=True)
    assert re.findall(r'name="ids" value="(\d+)"', wanted) == [str(second)]
    # The decision forms carry the filters back as typed (11.3's rule), not as 100.0000.
    assert 'name="min" value="100"' in wanted and 'name="max" value="1000.5"' in wanted
    assert "100.0000" not in wanted and "bulk?min=100&amp;max=1000.5" in wanted
    nobody = clients["owner"].get(path + f"?person={owner.id}").get_data(as_text=True)
    assert 'data-testid="queue-empty"' in nobody
    bad = clients["owner"].get(path + "?min=lots")
    assert bad.status_code == 422 and "From amount:" in bad.get_data(as_text=True)
    # An accountant with a limit of 500 does not see the 900 one.
    post_form(clients["owner"], settings, policy | {"accountant_limit": "500"}, token_from=settings)
    theirs = clients["accountant"].get(path).get_data(as_text=True)
    assert re.findall(r'name="ids" value="(\d+)"', theirs) == [str(first)]
    # Bulk approval is all or nothing: the 900 one is above the accountant's limit.
    response = post_form(
        clients["accountant"], path + "/bulk", {"ids": [first, second]}, token_from=path
    )
    assert response.status_code == 302
    after = clients["accountant"].get(path).get_data(as_text=True)
    assert (
        "Second in: This is above your approval limit" in after and "Nothing was approved" in after
    )
    assert re.findall(r'name="ids" value="(\d+)"', after) == [str(first)]


def test_the_transaction_page_decides_and_shows_the_timeline(make, new_client):
    org, (_owner, _accountant, member), clients = people(make, new_client)
    txn = expense(make, org, member, "member", "25", date.today(), "Train")
    page_path = f"/o/{org.slug}/transactions/{txn}/view"
    page = clients["member"].get(page_path).get_data(as_text=True)
    assert "awaiting approval" in page and 'data-testid="decide"' not in page
    assert "Withdraw (back to draft)" in page
    approver = clients["accountant"].get(page_path).get_data(as_text=True)
    assert 'data-testid="decide"' in approver
    empty = post_form(
        clients["accountant"],
        f"/o/{org.slug}/transactions/{txn}/reject",
        {"reason": ""},
        token_from=page_path,
        follow_redirects=True,
    )
    assert "Reason for rejecting: Enter the reason for rejecting." in empty.get_data(as_text=True)
    post_form(
        clients["accountant"],
        f"/o/{org.slug}/transactions/{txn}/return",
        {"comment": "Add the ticket <b>number</b>"},
        token_from=page_path,
    )
    page = clients["member"].get(page_path).get_data(as_text=True)
    assert "returned" in page and "Add the ticket &lt;b&gt;number&lt;/b&gt;" in page
    post_form(clients["member"], f"/o/{org.slug}/transactions/{txn}/submit", token_from=page_path)
    post_form(
        clients["accountant"], f"/o/{org.slug}/transactions/{txn}/approve", token_from=page_path
    )
    page = clients["member"].get(page_path).get_data(as_text=True)
    history = page[page.index('data-testid="history"') :]
    steps = re.findall(r"UTC</time> ·\s+([\w ]+) by", history)
    assert steps == ["submitted", "created", "returned", "submitted", "approved"]


def test_owners_edit_the_policy_on_a_settings_page(make, new_client):
    org, _people, clients = people(make, new_client)
    path = f"/o/{org.slug}/settings/approvals"
    page = clients["owner"].get(path).get_data(as_text=True)
    assert 'name="receipt_amount" value="75"' in page
    bad = post_form(clients["owner"], path, {"accountant_limit": "-5"}, token_from=path)
    assert bad.status_code == 422
    assert "Accountants approve up to:" in bad.get_data(as_text=True)
    assert clients["accountant"].get(path).status_code == 403


def _navbar_count(html: str) -> int:
    found = re.search(r'data-testid="approvals-count">(\d+)<', html)
    return int(found.group(1)) if found else 0


def test_the_navbar_count_is_what_the_queue_lists_under_every_policy(
    make, new_client, owner_engine
):
    """The navbar's count reads the org's policy in its own statement: for the owner and the
    accountant it is the number of rows their queue shows, with no saved policy (the
    defaults), with an accountant limit, with none, and with a two-step amount."""
    from sqlalchemy import text

    org, (_owner, _accountant, member), clients = people(make, new_client)
    path, settings = f"/o/{org.slug}/approvals", f"/o/{org.slug}/settings/approvals"
    base = {"members_need_approval": "on", "receipt_amount": "", "digest_days": "3"}
    # No receipt asked for while the expenses are recorded, so all four are submitted...
    post_form(clients["owner"], settings, base, token_from=settings)
    for amount in ("20", "900", "1500", "4000"):
        expense(make, org, member, "member", amount, clock.today(), f"Spent {amount}")
    with owner_engine.begin() as conn:  # ...then no saved policy: the defaults apply
        conn.execute(text("DELETE FROM approval_policies WHERE org_id = :o"), {"o": org.id})
    policies = [
        None,  # the defaults: accountants up to 1,000
        {"accountant_limit": "500"},
        {"accountant_limit": ""},  # no limit
        {"accountant_limit": "2000", "two_step_amount": "1000"},
    ]
    seen = []
    for policy in policies:
        if policy is not None:
            saved = post_form(clients["owner"], settings, base | policy, token_from=settings)
            assert saved.status_code == 302, policy
        for who in ("owner", "accountant"):
            queue = clients[who].get(path).get_data(as_text=True)
            listed = len(re.findall(r'name="ids" value="(\d+)"', queue))
            dashboard = clients[who].get(f"/o/{org.slug}/").get_data(as_text=True)
            assert _navbar_count(queue) == _navbar_count(dashboard) == listed, (policy, who)
            seen.append(listed)
    assert seen == [4, 2, 4, 1, 4, 4, 4, 4], seen


def test_the_list_and_the_dashboard_mark_what_is_not_approved(make, new_client):
    """An expense that counts nowhere yet says so where it is listed: awaiting approval, or
    rejected; an approved one (and every income) carries no mark."""
    org, (owner, _accountant, member), clients = people(make, new_client)
    today = clock.today()
    expense(make, org, owner, "owner", "100", today, "Rent share")
    waiting = expense(make, org, member, "member", "12.50", today, "Taxi")
    refused = expense(make, org, member, "member", "30", today, "Lunch")
    txn_page = f"/o/{org.slug}/transactions/{refused}/view"
    post_form(
        clients["accountant"],
        f"/o/{org.slug}/transactions/{refused}/reject",
        {"reason": "Not a business lunch"},
        token_from=txn_page,
    )

    def marks(html: str, section: str) -> dict[str, str]:
        part = html[html.index(section) :]
        rows = re.split(r"<tr data-id=|<li class=\"list-group-item", part)[1:]
        found = {}
        for row in rows:
            name = next(n for n in ("Rent share", "Taxi", "Lunch") if n in row)
            state = re.search(r'data-testid="approval-state">([^<]+)<', row)
            found[name] = state.group(1) if state else ""
        return found

    expected = {"Rent share": "", "Taxi": "awaiting approval", "Lunch": "rejected"}
    for who in ("owner", "member"):
        listed = clients[who].get(f"/o/{org.slug}/transactions").get_data(as_text=True)
        recent = clients[who].get(f"/o/{org.slug}/").get_data(as_text=True)
        mine = expected if who == "owner" else {k: v for k, v in expected.items() if v}
        assert marks(listed, "<tbody>") == mine, who
        assert marks(recent, 'data-testid="recent"') == mine, who

    post_form(
        clients["accountant"],
        f"/o/{org.slug}/transactions/{waiting}/approve",
        token_from=f"/o/{org.slug}/transactions/{waiting}/view",
    )
    listed = clients["owner"].get(f"/o/{org.slug}/transactions").get_data(as_text=True)
    assert marks(listed, "<tbody>")["Taxi"] == ""
