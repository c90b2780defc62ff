"""The approvers' daily digest and the approve/reject page the approval mail links to.

The digest reaches the loopback SMTP server once per approver per day, however often the job
runs, naming what has waited longer than the policy's days, with a link that opens the queue;
the submit mail's link opens a page that shows the expense and decides nothing until the
approver posts a decision (a rejection with its reason)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app import clock
from tests.support.factories import PASSWORD
from tests.support.jobs import run_jobs
from tests.support.mailbox import first_link, text_of
from tests.support.web import login, path_of, post_form
from workers.queues import MAIL, enqueue


def _org(make):
    owner, accountant, member = make.user(), make.user(), make.user()
    org = make.org(owner, "Digest Approvals Co")
    make.member(org, accountant, "accountant")
    make.member(org, member, "member")
    return org, owner, accountant, member


def _run_digest_job(app, redis_url) -> None:
    with app.app_context():
        enqueue(MAIL, "workers.jobs.approvals.send_approval_digests")
    run_jobs(app, redis_url, MAIL)


def _digests(mailbox, user) -> list:
    return [m for m in mailbox.to(user.email) if "waiting over" in str(m["Subject"])]


@pytest.mark.long
def test_the_digest_goes_once_per_approver_per_day(app, make, client, mailbox, redis_url):
    org, owner, accountant, member = _org(make)
    with clock.frozen(clock.now() - timedelta(days=5)):
        make.transaction(org, member, "member", description="Old hotel", amount="60")
    make.transaction(org, member, "member", description="Fresh taxi", amount="20")
    run_jobs(app, redis_url)  # the submit mails

    for _ in range(3):  # the hourly job, three times in one day
        _run_digest_job(app, redis_url)
    for approver in (owner, accountant):
        [digest] = _digests(mailbox, approver)
        body = text_of(digest)
        assert "1 expense waiting over 3 days" in str(digest["Subject"])
        assert "Old hotel" in body and "waiting 5 days" in body and "Fresh taxi" not in body
        link = first_link(digest, f"/o/{org.slug}/approvals")
        assert link.startswith(app.config["OUTLAY_BASE_URL"].rstrip("/"))
    assert _digests(mailbox, member) == []

    login(client, accountant.email, PASSWORD)
    queue = client.get(path_of(link))
    assert queue.status_code == 200 and "Old hotel" in queue.get_data(as_text=True)

    with clock.frozen(clock.now() + timedelta(days=1)):  # the next day: one more each
        _run_digest_job(app, redis_url)
        _run_digest_job(app, redis_url)
    assert len(_digests(mailbox, owner)) == 2 and len(_digests(mailbox, accountant)) == 2


def test_the_mail_link_shows_the_decision_and_only_a_post_decides(
    app, make, client, new_client, mailbox, redis_url
):
    org, _owner, accountant, member = _org(make)
    txn = make.transaction(org, member, "member", description="Conference ticket")
    run_jobs(app, redis_url)
    link = first_link(mailbox.wait_for(accountant.email, "awaits your approval"), "/approvals/")
    page = path_of(link)
    assert page == f"/o/{org.slug}/approvals/{txn}"

    assert client.get(page).headers["Location"].startswith("/login")  # signed out: sign in
    staff = new_client()
    login(staff, member.email, PASSWORD)
    assert staff.get(page).status_code == 403  # the submitter has no right to decide

    login(client, accountant.email, PASSWORD)
    for _ in range(2):  # opening it (or a mail scanner prefetching it) decides nothing
        shown = client.get(page).get_data(as_text=True)
    assert "Conference ticket" in shown and 'data-testid="decide"' in shown
    assert 'name="reason"' in shown and "required" in shown
    assert 'data-testid="approval-state">awaiting approval<' in shown

    unreasoned = post_form(
        client, f"/o/{org.slug}/transactions/{txn}/reject", {"next": "decide"}, token_from=page
    )
    assert path_of(unreasoned.headers["Location"]) == page
    assert 'data-testid="decide"' in client.get(page).get_data(as_text=True)  # still waiting

    no_token = client.post(f"/o/{org.slug}/transactions/{txn}/approve", data={"next": "decide"})
    assert no_token.status_code == 400  # no CSRF token: refused

    decided = post_form(
        client,
        f"/o/{org.slug}/transactions/{txn}/reject",
        {"next": "decide", "reason": "Not in this year's plan"},
        token_from=page,
        follow_redirects=True,
    )
    after = decided.get_data(as_text=True)
    assert "Rejected." in after and 'data-testid="decided"' in after
    assert 'data-testid="decide"' not in after and "Not in this year" in after
