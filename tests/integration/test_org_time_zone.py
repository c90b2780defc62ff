"""The org's day follows its time zone, not UTC (issue 12, acceptance 5).

The clock is frozen with `app.clock.frozen` (a module-level override: requests, and the RQ work
horses forked from this process, all see the same instant). In Los Angeles at 18:00 on
31 March it is already 1 April in UTC; in Auckland at 08:00 on 1 April it is still 31 March in
UTC. Each figure below would come out the other way if the app used UTC days.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from app import clock
from tests.support.api import Api, token_for
from tests.support.factories import PASSWORD
from tests.support.recurring import enqueue, make_reminder, make_rule, posted, run_worker
from tests.support.web import login, post_form

CASES = [
    # zone, local wall-clock time, the org's day, a date UTC would still or already be on
    ("America/Los_Angeles", datetime(2026, 3, 31, 18, 0), "2026-03-31", "2026-04-01"),
    ("Pacific/Auckland", datetime(2026, 4, 1, 8, 0), "2026-04-01", "2026-03-31"),
]


def set_zone(client, org, zone: str) -> None:
    settings = f"/o/{org.slug}/settings"
    saved = post_form(
        client,
        settings,
        {"name": org.name, "base_currency": "EUR", "time_zone": zone},
        token_from=settings,
    )
    assert saved.status_code == 302, saved.get_data(as_text=True)


@pytest.mark.parametrize(("zone", "wall", "local_day", "utc_day"), CASES)
def test_today_this_month_rules_reminders_and_budgets_follow_the_org_zone(
    app, make, client, zone, wall, local_day, utc_day
):
    owner = make.user()
    org = make.org(owner)
    login(client, owner.email, PASSWORD)
    set_zone(client, org, zone)
    month = local_day[:7]
    with clock.frozen(wall.replace(tzinfo=ZoneInfo(zone))):
        assert clock.now().date().isoformat() == utc_day  # the two calendars disagree

        form = client.get(f"/o/{org.slug}/transactions/new").get_data(as_text=True)
        assert re.search(rf'name="date" value="{local_day}"', form)

        make.transaction(org, owner, amount="50.00", date=local_day, description="On the day")
        make.transaction(org, owner, amount="7.00", date=utc_day, description="UTC's day")
        listed = client.get(f"/o/{org.slug}/transactions?preset=this-month")
        words = listed.get_data(as_text=True)
        assert "On the day" in words and "UTC&#39;s day" not in words and "UTC's day" not in words
        dashboard = client.get(f"/o/{org.slug}/").get_data(as_text=True)
        label = datetime.fromisoformat(local_day).strftime("%B %Y")
        assert label in dashboard

        # A monthly rule due on this day of the month posts today; one due tomorrow does not.
        day = int(local_day[-2:])
        due = make_rule(app, org, owner, start_date=local_day, month_day=day, is_bill=False)
        later = "2026-04-01" if local_day.endswith("31") else "2026-04-02"
        not_yet = make_rule(app, org, owner, start_date=later, month_day=int(later[-2:]))
        enqueue(app, "workers.jobs.recurring.materialise_org", org.id)
        run_worker(app)
        assert posted(app, org, due) == [(local_day, local_day)]
        assert posted(app, org, not_yet) == []

        # A bill reminder due today is sent today (UTC would call it overdue, or not yet due).
        make_reminder(app, org, owner, title="Insurance", due_date=local_day, remind_days_before=0)
        enqueue(app, "workers.jobs.reminders.send_due", org.id)
        run_worker(app)
        bell = client.get(f"/o/{org.slug}/notifications").get_data(as_text=True)
        assert f"Insurance due {local_day}" in bell

        # A monthly budget counts the expense of the org's day in the org's month.
        api = Api(client, token_for(app, owner), org.slug)
        created = api.post("/budgets", json={"amount": "400", "period": "monthly"})
        current = created.get_json()["current"]
        assert current["period_start"] == f"{month}-01"
        assert current["spent"] == "150.0000"  # the 50 expense and the rule's 100, not the 7
        listed = api.get("/transactions?preset=this-month").get_json()["items"]
        descriptions = {t["description"] for t in listed}
        assert "On the day" in descriptions and "UTC's day" not in descriptions
        dashboard = api.get("/dashboard").get_json()["monthly"]
        assert dashboard[-1]["month"] == month  # the API's 12 months end in the org's month
