"""Notifications: notify() once per key, mail through the real mail queue, the bell, the
preferences page, the daily digest, and the unsubscribe link that works without login."""

from __future__ import annotations

import re

import pytest

from tests.support.factories import PASSWORD
from tests.support.jobs import queued, run_jobs
from tests.support.mailbox import first_link, text_of
from tests.support.notices import notice, notify
from tests.support.web import login, post_form


def recipients(app, org, kind="budget_alert"):
    from app.services.notifications import notifications
    from tenants.context import tenant_context

    with app.app_context(), tenant_context(org.id):
        return notifications.recipients(org.id, kind)


def set_delivery(client, org, kind, value):
    path = f"/o/{org.slug}/notifications/preferences"
    return post_form(client, path, {kind: value}, token_from=path)


def test_a_notification_is_made_and_mailed_once_however_often_it_is_sent(
    app, make, client, mailbox, redis_url
):
    owner = make.user()
    org = make.org(owner, "Once Ltd")
    first = notify(app, org, [owner.id], "rent-2026-12")
    again = notify(app, org, [owner.id], "rent-2026-12")
    assert len(first) == 1 and again == []
    assert queued(app, redis_url, "mail").count("send_notification") >= 1
    run_jobs(app, redis_url)
    run_jobs(app, redis_url)
    mails = mailbox.to(owner.email)
    assert len(mails) == 1
    message = mails[0]
    assert "Rent is due" in message["Subject"] and "Once Ltd" in message["Subject"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    types = {part.get_content_type() for part in message.walk()}
    assert {"text/plain", "text/html"} <= types
    assert "https://outlay.test/o/" in text_of(message)

    login(client, owner.email, PASSWORD)
    page = client.get(f"/o/{org.slug}/").get_data(as_text=True)
    assert re.search(r'data-testid="unread-count">1<', page)
    listing = client.get(f"/o/{org.slug}/notifications").get_data(as_text=True)
    assert "Rent is due" in listing and 'data-unread="yes"' in listing


def test_a_rolled_back_notification_is_never_mailed(app, make, mailbox, redis_url):
    from app.extensions import db
    from tenants.context import tenant_context

    owner = make.user()
    org = make.org(owner)
    with app.app_context(), tenant_context(org.id):
        notice(org, [owner.id], "rolled-back", title="Gone", body="", link="")
        db.session.rollback()
        db.session.commit()  # a later commit must not send what was rolled back
    run_jobs(app, redis_url)
    assert mailbox.to(owner.email) == []
    assert notify(app, org, [owner.id], "rolled-back")  # the key was never taken


def test_recipients_are_owners_and_accountants_who_did_not_turn_the_kind_off(
    app, make, new_client, mailbox, redis_url
):
    owner, accountant, member, viewer, quiet = (make.user() for _ in range(5))
    org = make.org(owner)
    make.member(org, accountant, "accountant")
    make.member(org, member, "member")
    make.member(org, viewer, "viewer")
    make.member(org, quiet, "accountant")
    browser = new_client()
    login(browser, quiet.email, PASSWORD)
    assert set_delivery(browser, org, "budget_alert", "off").status_code == 302

    assert recipients(app, org) == sorted([owner.id, accountant.id])
    assert sorted(recipients(app, org, "bill_reminder")) == sorted(
        [owner.id, accountant.id, quiet.id]
    )
    outsider = make.user()
    make.org(outsider)
    created = notify(
        app, org, [owner.id, quiet.id, outsider.id], "over-budget", kind="budget_alert"
    )
    assert len(created) == 1  # the opted-out user and the non-member get nothing
    run_jobs(app, redis_url)
    assert len(mailbox.to(owner.email)) == 1
    assert mailbox.to(quiet.email) == [] and mailbox.to(outsider.email) == []
    listing = browser.get(f"/o/{org.slug}/notifications").get_data(as_text=True)
    assert "Rent is due" not in listing


def test_the_unsubscribe_link_stops_that_kinds_email_without_login(
    app, make, client, new_client, mailbox, redis_url
):
    owner = make.user()
    org = make.org(owner, "Unsub Co")
    notify(app, org, [owner.id], "first")
    run_jobs(app, redis_url)
    link = first_link(mailbox.wait_for(owner.email, "Rent is due"), "/unsubscribe/")
    path = link.split("outlay.test", 1)[1]

    stranger = new_client()  # not signed in
    page = stranger.get(path)
    assert page.status_code == 200 and "Stop bill reminders emails?" in page.get_data(as_text=True)
    assert stranger.get(path.replace("/unsubscribe/", "/unsubscribe/x")).status_code == 404
    # RFC 8058 one-click: a mail client POSTs with no session and no CSRF token.
    done = stranger.post(path, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "unsubscribed" in done.get_data(as_text=True)

    mailbox.clear()
    assert notify(app, org, [owner.id], "second", title="Insurance is due")
    run_jobs(app, redis_url)
    assert mailbox.to(owner.email) == []  # no email...
    login(client, owner.email, PASSWORD)
    listing = client.get(f"/o/{org.slug}/notifications").get_data(as_text=True)
    assert "Insurance is due" in listing  # ...but still in the app
    prefs = client.get(f"/o/{org.slug}/notifications/preferences").get_data(as_text=True)
    assert re.search(r'id="bill_reminder-in_app" value="in_app" checked', prefs)


def test_mark_read_and_mark_all_read_are_per_user(app, make, client, new_client):
    owner, accountant = make.user(), make.user()
    org = make.org(owner)
    make.member(org, accountant, "accountant")
    mine = notify(app, org, [owner.id], "a", title="First")[0]
    notify(app, org, [owner.id], "b", title="Second")
    theirs = notify(app, org, [accountant.id], "c", title="Theirs")[0]
    login(client, owner.email, PASSWORD)
    base = f"/o/{org.slug}/notifications"
    assert post_form(client, f"{base}/{mine}/read", token_from=base).status_code == 302
    assert post_form(client, f"{base}/{theirs}/read", token_from=base).status_code == 404
    page = client.get(base).get_data(as_text=True)
    assert re.search(r'data-testid="unread-count">1<', page)
    post_form(client, f"{base}/read-all", token_from=base)
    page = client.get(base).get_data(as_text=True)
    assert 'data-testid="unread-count"' not in page and 'data-unread="yes"' not in page

    other = new_client()
    login(other, accountant.email, PASSWORD)
    assert re.search(r'data-testid="unread-count">1<', other.get(base).get_data(as_text=True))


def test_preferences_refuse_an_unknown_delivery(make, client):
    owner = make.user()
    org = make.org(owner)
    login(client, owner.email, PASSWORD)
    response = set_delivery(client, org, "budget_alert", "carrier-pigeon")
    assert response.status_code == 422
    assert "Budget alerts: Choose one of" in response.get_data(as_text=True)


@pytest.mark.long
def test_a_daily_digest_replaces_immediate_mail(app, make, client, mailbox, redis_url):
    owner = make.user()
    org = make.org(owner, "Digest Ltd")
    login(client, owner.email, PASSWORD)
    set_delivery(client, org, "bill_reminder", "digest")
    notify(app, org, [owner.id], "d1", title="Rent is due")
    notify(app, org, [owner.id], "d2", title="Insurance is due")
    run_jobs(app, redis_url)
    assert mailbox.to(owner.email) == []

    from workers.queues import MAIL, enqueue

    for _ in range(2):  # the periodic job, twice: the second finds nothing new
        with app.app_context():
            enqueue(MAIL, "workers.jobs.mail.send_digests")
        run_jobs(app, redis_url, MAIL)
    mails = mailbox.to(owner.email)
    assert len(mails) == 1
    body = text_of(mails[0])
    assert "digest" in mails[0]["Subject"].lower()
    assert "Rent is due" in body and "Insurance is due" in body
