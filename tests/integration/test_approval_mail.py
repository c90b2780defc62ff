"""Approval and reimbursement mail reaches the loopback SMTP server with links on the base
URL: the approvers who may decide hear of a submission, the submitter of each decision, and
the person paid back of their reimbursement, which the "to reimburse" page then no longer
lists."""

from __future__ import annotations

import re
from datetime import date

from app import clock
from tests.support.api import Api, token_for
from tests.support.factories import PASSWORD
from tests.support.jobs import run_jobs
from tests.support.mailbox import text_of
from tests.support.web import login, post_form


def test_submit_decision_and_reimbursement_mail(app, make, client, new_client, mailbox, redis_url):
    owner, accountant, member, viewer = (make.user() for _ in range(4))
    org = make.org(owner, "Mail Approvals Co")
    make.member(org, accountant, "accountant")
    make.member(org, member, "member")
    make.member(org, viewer, "viewer")
    api = Api(client, token_for(app, member), org.slug)
    body = {"kind": "expense", "amount": "42.50", "category_id": make.category(org)}
    body |= {"date": date.today().isoformat(), "description": "Parking", "paid_personally": True}
    txn = api.post("/transactions", json=body).get_json()["id"]
    run_jobs(app, redis_url)
    base = app.config["OUTLAY_BASE_URL"].rstrip("/")
    link = f"{base}/o/{org.slug}/approvals/{txn}"  # the page with the decision buttons
    for approver in (owner, accountant):
        message = mailbox.wait_for(approver.email, "awaits your approval")
        assert link in text_of(message) or link in message.as_string()
    assert mailbox.to(member.email) == [] and mailbox.to(viewer.email) == []

    approving = Api(client, token_for(app, accountant), org.slug)
    assert approving.post(f"/transactions/{txn}/approve").status_code == 200
    run_jobs(app, redis_url)
    decided = mailbox.wait_for(member.email, "was approved")
    assert "Parking" in text_of(decided)

    browser = new_client()
    login(browser, member.email, PASSWORD)
    page = browser.get(f"/o/{org.slug}/reimbursements").get_data(as_text=True)
    assert "€42.50" in page and 'name="ids"' not in page  # theirs to see, not to mark
    books = new_client()
    login(books, owner.email, PASSWORD)
    owed = books.get(f"/o/{org.slug}/reimbursements").get_data(as_text=True)
    ids = re.findall(r'name="ids" value="(\d+)"', owed)
    assert ids == [str(txn)]
    done = post_form(
        books,
        f"/o/{org.slug}/reimbursements",
        {
            "ids": ids,
            "paid_on": clock.today().isoformat(),
            "method": "Transfer",
            "reference": "R-7",
        },
        token_from=f"/o/{org.slug}/reimbursements",
        follow_redirects=True,
    )
    assert "Marked reimbursed for 1 person." in done.get_data(as_text=True)
    assert 'data-testid="nothing-owed"' in done.get_data(as_text=True)
    run_jobs(app, redis_url)
    paid = mailbox.wait_for(member.email, "You were reimbursed")
    assert "R-7" in text_of(paid)
    assert f"{base}/o/{org.slug}/reimbursements" in paid.as_string()
    shown = api.get(f"/transactions/{txn}").get_json()
    assert shown["reimbursed_at"] == clock.today().isoformat() and shown["paid_personally"]
    again = post_form(
        books,
        f"/o/{org.slug}/reimbursements",
        {"ids": ids, "paid_on": clock.today().isoformat(), "method": "Transfer"},
        token_from=f"/o/{org.slug}/reimbursements",
        follow_redirects=True,
    )
    assert "already reimbursed" in again.get_data(as_text=True)
