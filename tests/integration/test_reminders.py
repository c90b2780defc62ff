"""Bill reminders go out once, N days before the due date, by email (the loopback SMTP
server) through a real worker; never for paused rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from tests.support.factories import seat_of
from tests.support.recurring import enqueue, make_reminder, make_rule, run_worker

SEND = "workers.jobs.reminders.send_due"


def today() -> date:
    return datetime.now(UTC).date()


def test_a_bill_is_reminded_once_n_days_before_and_not_when_paused(app, make, mailbox):
    owner = make.user()
    org = make.org(owner)
    accountant = make.user()
    make.member(org, accountant, "accountant")
    viewer = make.user()
    make.member(org, viewer, "viewer")
    due = today() + timedelta(days=3)
    make_rule(app, org, owner, description="Office rent", is_bill=True, start_date=str(due))
    make_rule(
        app,
        org,
        owner,
        description="Cleaning",
        is_bill=True,
        start_date=str(today() + timedelta(days=5)),  # reminded 3 days before: not yet
    )
    paused = make_rule(app, org, owner, description="Old lease", is_bill=True, start_date=str(due))
    make_rule(app, org, owner, description="Not a bill", start_date=str(due))
    _pause(app, org, owner, paused)
    mailbox.clear()

    enqueue(app, SEND, org.id)
    run_worker(app)

    for person in (owner, accountant):
        mails = mailbox.to(person.email)
        assert [m["Subject"] for m in mails if "Office rent" in str(m["Subject"])], mails
        subjects = " ".join(str(m["Subject"]) for m in mails)
        assert "Cleaning" not in subjects and "Old lease" not in subjects
        assert "Not a bill" not in subjects
        assert due.isoformat() in subjects
    assert mailbox.to(viewer.email) == []

    before = len(mailbox.to(owner.email))
    enqueue(app, SEND, org.id)
    enqueue(app, SEND, org.id)
    run_worker(app)
    assert len(mailbox.to(owner.email)) == before, "a reminder went out twice"


def test_a_one_off_reminder_is_sent_once_and_not_after_it_is_paid(app, make, mailbox):
    owner = make.user()
    org = make.org(owner)
    make_reminder(app, org, owner, title="VAT return", due_date=str(today() + timedelta(days=2)))
    paid = make_reminder(
        app, org, owner, title="Paid already", due_date=str(today() + timedelta(days=1))
    )
    make_reminder(
        app,
        org,
        owner,
        title="Far away",
        due_date=str(today() + timedelta(days=20)),
        remind_days_before=7,
    )
    _mark_paid(app, org, owner, paid)
    mailbox.clear()

    enqueue(app, SEND, org.id)
    run_worker(app)
    enqueue(app, SEND, org.id)
    run_worker(app)

    subjects = [str(m["Subject"]) for m in mailbox.to(owner.email)]
    assert len([s for s in subjects if "VAT return" in s]) == 1, subjects
    assert not [s for s in subjects if "Paid already" in s or "Far away" in s], subjects


def test_the_periodic_fan_out_reaches_orgs_with_bills(app, make, mailbox):
    owner = make.user()
    org = make.org(owner)
    make_rule(app, org, owner, description="Fan-out bill", is_bill=True, start_date=str(today()))
    mailbox.clear()

    enqueue(app, "workers.jobs.reminders.send_due_all")
    run_worker(app)

    assert mailbox.wait_for(owner.email, "Fan-out bill")


def _pause(app, org, user, rule_id: int) -> None:
    from app.services.recurring import recurring
    from tenants.context import tenant_context

    with app.app_context(), tenant_context(org.id, user.id):
        recurring.pause(seat_of(org, user), rule_id)


def _mark_paid(app, org, user, reminder_id: int) -> None:
    from app.services.recurring import reminders
    from tenants.context import tenant_context

    with app.app_context(), tenant_context(org.id, user.id):
        reminders.mark_paid(seat_of(org, user), reminder_id)
