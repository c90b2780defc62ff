"""Links in mail come from OUTLAY_BASE_URL, never from the request (issue 10.1, 10.5, 11.4,
11.7): a forged Host is refused, a forged X-Forwarded-Host changes nothing, reset and
confirmation requests do the same work for every address, a repeated invitation is resent.

The app here has a base URL on another host than the one the test client talks to
(outlay.test), so a link built from the request would show.
"""

from __future__ import annotations

import re
from collections import Counter
from email.header import decode_header, make_header

import pytest
from itsdangerous import TimestampSigner

from tests.support.accounts import log_in, new_email, page_text, register
from tests.support.factories import unique
from tests.support.jobs import queued, run_jobs
from tests.support.mailbox import first_link, text_of
from tests.support.notices import notify
from tests.support.web import csrf_from, https_client, path_of, post_form

BASE = "https://mail.outlay.example"


@pytest.fixture(scope="module")
def linked_app(app_factory):
    from app.web.proxy import trust_proxies

    # As deployed: behind one proxy (nginx), with the base URL set.
    return trust_proxies(app_factory(OUTLAY_BASE_URL=BASE), 1)


@pytest.fixture
def browser(linked_app, mailbox):
    mailbox.clear()
    return https_client(linked_app)


def links_in(message) -> list[str]:
    body = text_of(message)
    html = ""
    if message.is_multipart():
        for part in message.walk():
            if part.get_content_type() == "text/html":
                html = part.get_payload(decode=True).decode()
    return re.findall(r"https?://[^\s\"'<>]+", body + " " + html)


def assert_links_on_base(message) -> None:
    links = links_in(message)
    assert links, f"no links in {message['Subject']!r}"
    for link in links:
        assert link.startswith(BASE + "/"), link


FORGED = {"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "http"}


def test_a_foreign_host_is_refused_before_any_work(browser, linked_app, redis_url, make):
    user = make.user()
    before = queued(linked_app, redis_url, "mail")
    page = browser.get("/reset")
    token = csrf_from(page.get_data(as_text=True))
    for path in ("/reset", "/confirm", "/login"):
        refused = browser.post(
            path, data={"email": user.email, "csrf_token": token}, base_url="https://evil.example"
        )
        assert refused.status_code == 400, path
    assert browser.get("/login", base_url="http://evil.example").status_code == 400
    # An owner's invitation, signed in, with a foreign Host: refused too, nothing queued.
    owner = make.user()
    org = make.org(owner)
    log_in(browser, owner.email)
    token = csrf_from(browser.get(f"/o/{org.slug}/members").get_data(as_text=True))
    invite = browser.post(
        f"/o/{org.slug}/members/invite",
        data={"email": new_email("foreign"), "role": "viewer", "csrf_token": token},
        base_url="https://evil.example",
    )
    assert invite.status_code == 400
    assert queued(linked_app, redis_url, "mail") == before
    assert "Withdraw the invitation" not in browser.get(f"/o/{org.slug}/members").get_data(
        as_text=True
    )


def test_reset_confirmation_and_invitation_mail_the_base_url_whatever_the_headers(
    browser, linked_app, mailbox, make, redis_url
):
    user = make.user()
    reset = post_form(browser, "/reset", {"email": user.email}, token_from="/reset", headers=FORGED)
    assert reset.status_code == 200  # X-Forwarded-Host is ignored, not trusted
    run_jobs(linked_app, redis_url, "mail")
    mail = mailbox.wait_for(user.email, "reset")
    assert_links_on_base(mail)
    assert first_link(mail, "/reset/").startswith(f"{BASE}/reset/")

    # Signing up mails a confirmation link from the request itself: still the base URL.
    email = new_email("linked")
    register(browser, email)
    assert_links_on_base(mailbox.wait_for(email, "welcome"))
    # Asking for the confirmation mail again goes through the mail job.
    again = post_form(browser, "/confirm", {"email": email}, token_from="/confirm", headers=FORGED)
    assert again.status_code == 200
    run_jobs(linked_app, redis_url, "mail")
    assert first_link(mailbox.wait_for(email, "confirm"), "/confirm/").startswith(f"{BASE}/")

    # Signing up with a taken address mails its owner a notice: its links too.
    register(https_client(linked_app), user.email)
    notices = [m for m in mailbox.to(user.email) if "reset" not in str(m["Subject"]).lower()]
    assert notices
    for notice in notices:
        for link in links_in(notice):
            assert link.startswith(BASE + "/"), link

    # An owner's invitation, posted with forged headers.
    owner = make.user()
    org = make.org(owner)
    log_in(browser, owner.email)
    invitee = new_email("invitee")
    sent = post_form(
        browser,
        f"/o/{org.slug}/members/invite",
        {"email": invitee, "role": "viewer"},
        token_from=f"/o/{org.slug}/members",
        headers=FORGED,
    )
    assert sent.status_code == 302
    assert mailbox.to(invitee) == []  # not sent inside the request
    run_jobs(linked_app, redis_url, "mail")
    invitation = mailbox.wait_for(invitee, "invited")
    assert first_link(invitation, "/invitations/").startswith(f"{BASE}/invitations/")
    assert https_client(linked_app).get(path_of(first_link(invitation))).status_code == 200


def test_mail_from_the_worker_links_to_the_base_url(linked_app, mailbox, make, redis_url):
    mailbox.clear()
    owner = make.user()
    org = make.org(owner)
    notify(
        linked_app, org, [owner.id], unique("rent"), body="Pay it.", link=f"/o/{org.slug}/recurring"
    )
    run_jobs(linked_app, redis_url, "mail")
    mail = mailbox.wait_for(owner.email, "Rent is due")
    assert_links_on_base(mail)
    assert f"{BASE}/o/{org.slug}/recurring" in links_in(mail)
    unsubscribe = str(make_header(decode_header(str(mail["List-Unsubscribe"]))))
    assert unsubscribe.startswith(f"<{BASE}/unsubscribe/")


# --- 10.5: the same work whatever the answer ----------------------------------------------


def _jobs(app, redis_url) -> Counter:
    return Counter(queued(app, redis_url, "mail"))


@pytest.mark.parametrize(
    ("path", "job", "subject"),
    [
        ("/reset", "send_reset", "reset"),
        ("/confirm", "send_confirmation", "confirm"),
    ],
)
def test_reset_and_confirm_enqueue_one_job_for_any_address(
    browser, linked_app, mailbox, make, redis_url, path, job, subject
):
    # The address that gets mail: a confirmed account for a reset, an unconfirmed one for a
    # confirmation; an unknown address and the other kind of account get none.
    wanted = make.user(confirmed=path == "/reset")
    others = [new_email("nobody"), make.user(confirmed=path != "/reset").email]
    run_jobs(linked_app, redis_url, "mail")  # an empty queue to count on
    mailbox.clear()
    answers = []
    for email in [wanted.email, *others]:
        before = _jobs(linked_app, redis_url)
        answers.append(post_form(browser, path, {"email": email}, token_from=path))
        added = _jobs(linked_app, redis_url) - before
        assert added == Counter({job: 1}), email  # one job, known address or not
        assert mailbox.messages == []  # and no SMTP conversation inside the request
    assert len({(a.status_code, page_text(a).split(" sent to ")[0]) for a in answers}) == 1

    run_jobs(linked_app, redis_url, "mail")
    assert first_link(mailbox.wait_for(wanted.email, subject)).startswith(BASE)
    nobody, other = others
    assert mailbox.to(nobody) == []
    # The other account gets no such mail (an unconfirmed one asking for a reset gets the
    # confirmation instead, below).
    assert not [m for m in mailbox.to(other) if subject in str(m["Subject"]).lower()]


def test_reset_for_an_unconfirmed_account_mails_the_confirmation_instead(
    browser, linked_app, mailbox, make, redis_url
):
    user = make.user(confirmed=False)
    post_form(browser, "/reset", {"email": user.email}, token_from="/reset")
    run_jobs(linked_app, redis_url, "mail")
    mail = mailbox.wait_for(user.email, "confirm")
    assert "/confirm/" in first_link(mail, "/confirm/")


# --- 11.4: a repeated invitation is resent, not duplicated ----------------------------------


def test_inviting_the_same_address_again_resends_the_pending_invitation(
    browser, linked_app, mailbox, make, redis_url, monkeypatch
):
    owner = make.user()
    org = make.org(owner)
    log_in(browser, owner.email)
    email = new_email("twice")

    def invite(address: str, role: str):
        response = post_form(
            browser,
            f"/o/{org.slug}/members/invite",
            {"email": address, "role": role},
            token_from=f"/o/{org.slug}/members",
        )
        assert response.status_code == 302
        run_jobs(linked_app, redis_url, "mail")

    invite(email, "viewer")
    first = path_of(first_link(mailbox.wait_for(email, "invited"), "/invitations/"))
    # Six days later the owner invites the same person again (another spelling, new role).
    real = TimestampSigner.get_timestamp
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: real(self) + 6 * 86400)
    invite(email.upper(), "accountant")
    mails = mailbox.to(email)
    assert len(mails) == 2  # one new mail
    second = path_of(first_link(mails[-1], "/invitations/"))
    assert "accountant" in text_of(mails[-1])

    pending = browser.get(f"/o/{org.slug}/members").get_data(as_text=True)
    assert pending.count("Withdraw the invitation to") == 1  # one pending row, the new role
    assert "accountant" in page_text(browser.get(f"/o/{org.slug}/members"))

    # Eight days after the first mail: its link has expired, the resent one still opens.
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: real(self) + 8 * 86400)
    visitor = https_client(linked_app)
    assert visitor.get(first).status_code == 404
    assert visitor.get(second).status_code == 200


def test_the_workers_daily_digest_links_to_the_base_url(
    browser, linked_app, mailbox, make, redis_url
):
    """11.7 for the digest: its items, preferences and unsubscribe links all on the base URL."""
    from workers.queues import MAIL, enqueue

    owner = make.user()
    org = make.org(owner)
    log_in(browser, owner.email)
    path = f"/o/{org.slug}/notifications/preferences"
    assert post_form(browser, path, {"bill_reminder": "digest"}, token_from=path).status_code == 302
    notify(linked_app, org, [owner.id], unique("vat"), title="VAT is due",
           link=f"/o/{org.slug}/recurring")  # fmt: skip
    run_jobs(linked_app, redis_url, "mail")
    with linked_app.app_context():
        enqueue(MAIL, "workers.jobs.mail.send_digests")
    run_jobs(linked_app, redis_url, "mail")
    digest = mailbox.wait_for(owner.email, "digest")
    assert_links_on_base(digest)
    links = links_in(digest)
    assert f"{BASE}/o/{org.slug}/notifications/preferences" in links, links
    assert any(link.startswith(f"{BASE}/unsubscribe/") for link in links), links


def test_every_kind_of_worker_mail_links_to_the_base_url(
    browser, linked_app, mailbox, make, redis_url
):
    """Budget alert, approval request and decision, approvers' digest, daily digest, export
    ready: every mail any of these sends, links checked one by one (10.1's "every link in
    every mail"), the requests that caused them sent with forged forwarded headers."""
    from datetime import date, timedelta

    from app import clock
    from tests.support.api import Api, token_for
    from workers.queues import MAIL, enqueue

    owner, accountant, member = make.user(), make.user(), make.user()
    org = make.org(owner)
    make.member(org, accountant, "accountant")
    make.member(org, member, "member")
    api = Api(browser, token_for(linked_app, owner), org.slug)
    category = make.category(org)
    assert api.post("/budgets", json={"amount": "100", "period": "monthly"}).status_code == 201
    today = date.today().isoformat()
    spent = {"kind": "expense", "amount": "90", "category_id": category, "date": today}
    assert api.post("/transactions", json=spent).status_code == 201  # crosses 80%
    as_member = Api(browser, token_for(linked_app, member), org.slug)
    claim = {**spent, "amount": "12", "description": "Parking", "paid_personally": True}
    with clock.frozen(clock.now() - timedelta(days=5)):
        txn = as_member.post("/transactions", json=claim).get_json()["id"]
    run_jobs(linked_app, redis_url)
    mailbox.wait_for(owner.email, "reached 80%")
    mailbox.wait_for(accountant.email, "awaits your approval")
    approving = Api(browser, token_for(linked_app, accountant), org.slug)
    assert approving.post(f"/transactions/{txn}/approve").status_code == 200

    # The daily digest: the accountant asks for one, then something is worth telling.
    chooser = https_client(linked_app)
    log_in(chooser, accountant.email)
    path = f"/o/{org.slug}/notifications/preferences"
    post_form(chooser, path, {"bill_reminder": "digest"}, token_from=path, headers=FORGED)
    notify(linked_app, org, [accountant.id], unique("rent"), title="Rent is due")
    # An export, asked for from the web with forged headers.
    exporter = https_client(linked_app)
    log_in(exporter, owner.email)
    asked = post_form(
        exporter,
        f"/o/{org.slug}/exports",
        {"query": "format=csv"},
        token_from=f"/o/{org.slug}/exports",
        headers=FORGED,
    )
    assert asked.status_code == 302
    run_jobs(linked_app, redis_url)
    with linked_app.app_context():
        enqueue(MAIL, "workers.jobs.mail.send_digests")
    run_jobs(linked_app, redis_url, MAIL)
    # Another expense waits for days: the approvers' digest.
    with clock.frozen(clock.now() - timedelta(days=5)):
        as_member.post("/transactions", json={**claim, "description": "Hotel"})
    run_jobs(linked_app, redis_url)
    with linked_app.app_context():
        enqueue(MAIL, "workers.jobs.approvals.send_approval_digests")
    run_jobs(linked_app, redis_url, MAIL)

    expected = {
        owner.email: ("reached 80%", "export is ready"),
        accountant.email: ("awaits your approval", "digest", "waiting over"),
        member.email: ("was approved",),
    }
    for address, subjects in expected.items():
        for subject in subjects:
            mailbox.wait_for(address, subject)
    messages = [message for _address, message in mailbox.messages]
    assert len(messages) >= 7
    for message in messages:
        assert_links_on_base(message)
