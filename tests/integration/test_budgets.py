"""Budgets as users meet them: the budgets page and API, figures, and the alerts by email."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

from dateutil.relativedelta import relativedelta

from app import clock
from tests.support.api import Api, fields_of, token_for
from tests.support.factories import PASSWORD
from tests.support.jobs import run_jobs
from tests.support.web import login, post_form


def api_for(app, client, user, org) -> Api:
    return Api(client, token_for(app, user), org.slug)


def states(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-budget="([^"]+)" data-state="(\w+)"', html))


def test_owner_manages_budgets_and_sees_progress_by_state(app, make, client):
    owner = make.user()
    org = make.org(owner, "Budget Ltd")
    food = make.category(org, name="Food")
    login(client, owner.email, PASSWORD)
    base = f"/o/{org.slug}/budgets"
    for name, category, amount in (("Food", food, "100"), ("Everything", "", "1000")):
        saved = post_form(
            client,
            f"{base}/new",
            {"name": name, "category_id": category, "amount": amount, "period": "monthly"},
            token_from=f"{base}/new",
        )
        assert saved.status_code == 302, saved.get_data(as_text=True)
    make.transaction(org, owner, category_id=food, amount="85.00")
    page = client.get(base).get_data(as_text=True)
    assert states(page) == {"Food": "near", "Everything": "ok"}
    assert "85.00" in page and 'data-confirm="Delete the budget Food?' in page

    make.transaction(org, owner, category_id=food, amount="20.00")
    assert states(client.get(base).get_data(as_text=True))["Food"] == "over"
    dashboard = client.get(f"/o/{org.slug}/").get_data(as_text=True)
    assert 'data-testid="budget-widget"' in dashboard and 'data-state="over"' in dashboard

    budget_id = int(re.search(r'data-budget="Food".*?/budgets/(\d+)/history', page, re.S).group(1))
    history = client.get(f"{base}/{budget_id}/history").get_data(as_text=True)
    assert history.count("data-period=") == 1  # from the month the budget was made
    edited = post_form(
        client,
        f"{base}/{budget_id}",
        {"name": "Food", "category_id": food, "amount": "200", "period": "monthly"},
        token_from=f"{base}/{budget_id}",
    )
    assert edited.status_code == 302
    page = client.get(base).get_data(as_text=True)
    assert states(page)["Food"] == "ok" and "52.5%" in page
    for found in re.findall(r"/budgets/(\d+)/delete", page):
        post_form(client, f"{base}/{found}/delete", token_from=base)
    assert "No budgets yet" in client.get(base).get_data(as_text=True)


def test_bad_budget_input_names_the_field_and_saves_nothing(app, make, client):
    owner = make.user()
    org = make.org(owner)
    income = make.category(org, "income")
    api = api_for(app, client, owner, org)
    cases = [
        ({"amount": "0", "period": "monthly"}, "amount"),
        ({"amount": "-5", "period": "monthly"}, "amount"),
        ({"amount": 12.5, "period": "monthly"}, "amount"),
        ({"amount": "10", "period": "weekly"}, "period"),
        ({"amount": "10", "period": "monthly", "category_id": 999999999}, "category_id"),
        ({"amount": "10", "period": "monthly", "category_id": income}, "category_id"),
        ({"amount": "10", "period": "monthly", "thresholds": [0, 100]}, "thresholds"),
        ({"amount": "10", "period": "monthly", "thresholds": [80, 201]}, "thresholds"),
        ({"amount": "10", "period": "monthly", "thresholds": []}, "thresholds"),
    ]
    for body, field in cases:
        response = api.post("/budgets", json=body)
        assert response.status_code == 422, body
        assert field in fields_of(response), (body, response.get_json())
    assert api.get("/budgets").get_json()["items"] == []

    login(client, owner.email, PASSWORD)
    path = f"/o/{org.slug}/budgets/new"
    form = post_form(
        client, path, {"amount": "abc", "period": "monthly", "thresholds": "80, 300"}, path
    )
    html = form.get_data(as_text=True)
    assert form.status_code == 422
    assert 'id="amount-error"' in html and "between 1 and 200" in html


def test_budgets_through_the_api(app, make, client):
    owner, viewer = make.user(), make.user()
    org = make.org(owner)
    make.member(org, viewer, "viewer")
    parent = make.category(org, name="Trips")
    child = _child_category(app, org, parent, "Trains")
    api = api_for(app, client, owner, org)
    created = api.post(
        "/budgets",
        json={"category_id": parent, "amount": "300.5", "period": "annual", "thresholds": [50]},
    )
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["amount"] == "300.5000" and body["name"] == "Trips"
    assert body["current"]["period_start"] == date.today().replace(month=1, day=1).isoformat()
    make.transaction(org, owner, category_id=child, amount="200")  # a child counts
    shown = api.get(f"/budgets/{body['id']}").get_json()
    assert shown["current"]["spent"] == "200.0000" and shown["current"]["state"] == "near"
    assert len(shown["history"]) == 1  # this year's: the budget did not exist before
    patched = api.patch(f"/budgets/{body['id']}", json={"amount": "1000"})
    assert patched.get_json()["current"]["state"] == "ok"
    assert api.patch(f"/budgets/{body['id']}", json={"period": "daily"}).status_code == 422
    reader = api_for(app, client, viewer, org)
    assert reader.get("/budgets").status_code == 200
    assert reader.post("/budgets", json={"amount": "1", "period": "monthly"}).status_code == 403
    other = make.org(owner)
    assert (
        Api(client, api.headers["Authorization"][7:], other.slug)
        .get(f"/budgets/{body['id']}")
        .status_code
        == 404
    )
    assert api.delete(f"/budgets/{body['id']}").status_code == 204
    assert api.get(f"/budgets/{body['id']}").status_code == 404


def _child_category(app, org, parent_id, name):
    from app.seat import Seat
    from app.services.ledger import categories
    from tenants.context import tenant_context

    with app.app_context(), tenant_context(org.id):
        return categories.create_category(
            Seat.system(org), {"name": name, "kind": "expense", "parent_id": parent_id}
        ).id


def test_unspent_money_rolls_over_into_the_next_period(app, make, client):
    owner = make.user()
    org = make.org(owner)
    api = api_for(app, client, owner, org)
    last_month = (datetime.now(UTC).date().replace(day=1) - relativedelta(months=1)).isoformat()
    make.transaction(org, owner, amount="30", date=last_month)
    created = api.post("/budgets", json={"amount": "100", "period": "monthly", "rollover": True})
    current = created.get_json()["current"]
    assert current["carried"] == "70.0000" and current["available"] == "170.0000"


def budget_mail(mailbox, person) -> list[str]:
    return [m["Subject"] for m in mailbox.to(person.email) if m["Subject"].startswith("Budget")]


def test_alerts_mail_each_threshold_once_per_period(
    app, make, client, new_client, mailbox, redis_url, monkeypatch
):
    owner, accountant, member, quiet = (make.user() for _ in range(4))
    org = make.org(owner, "Alert Co")
    make.member(org, accountant, "accountant")
    make.member(org, member, "member")
    make.member(org, quiet, "accountant")
    browser = new_client()
    login(browser, quiet.email, PASSWORD)
    prefs = f"/o/{org.slug}/notifications/preferences"
    post_form(browser, prefs, {"budget_alert": "off"}, token_from=prefs)
    api = api_for(app, client, owner, org)
    api.post("/budgets", json={"name": "Monthly", "amount": "100", "period": "monthly"})

    make.transaction(org, owner, amount="50")
    run_jobs(app, redis_url)
    assert mailbox.to(owner.email) == []
    pending = make.transaction(org, member, role="member", amount="35")  # 85% once approved
    run_jobs(app, redis_url)
    assert not budget_mail(mailbox, owner)  # awaiting approval: it counts nowhere yet
    approved = api_for(app, client, accountant, org).post(f"/transactions/{pending}/approve")
    assert approved.status_code == 200
    run_jobs(app, redis_url)
    assert len(budget_mail(mailbox, owner)) == 1  # the alert fires on approval
    make.transaction(org, owner, amount="20")  # 105%: crosses 100
    for _ in range(3):
        with app.app_context():
            from workers.queues import DEFAULT, enqueue

            enqueue(DEFAULT, "workers.jobs.budgets.check_budgets", org.id)
        run_jobs(app, redis_url)
    for _ in range(10):
        make.transaction(org, owner, amount="5")
    run_jobs(app, redis_url)

    for person in (owner, accountant):
        subjects = sorted(budget_mail(mailbox, person))
        assert len(subjects) == 2, subjects
        assert "reached 80%" in subjects[0] and "Alert Co" in subjects[0]
        assert "is over" in subjects[1] or "used up" in subjects[1]
    assert budget_mail(mailbox, member) == [] and budget_mail(mailbox, quiet) == []
    bell = browser.get(f"/o/{org.slug}/notifications").get_data(as_text=True)
    assert "Monthly" not in bell  # turned off: not even in the app

    next_month = datetime.now(UTC).date().replace(day=1) + relativedelta(months=1)
    with clock.frozen(datetime.combine(next_month, time(12), UTC)):
        make.transaction(org, owner, amount="90", date=next_month.isoformat())
        run_jobs(app, redis_url)
    subjects = budget_mail(mailbox, owner)
    assert len(subjects) == 3 and next_month.strftime("%B %Y") in subjects[-1]


def test_history_starts_at_the_period_the_budget_was_made_in(app, make, client):
    owner = make.user()
    org = make.org(owner)
    login(client, owner.email, PASSWORD)
    with clock.frozen(datetime(2026, 1, 20, 12, tzinfo=UTC)):
        api = api_for(app, client, owner, org)
        budget = api.post("/budgets", json={"name": "Food", "amount": "400", "period": "monthly"})
        budget_id = budget.get_json()["id"]
    with clock.frozen(datetime(2026, 4, 10, 12, tzinfo=UTC)):
        make.transaction(org, owner, amount="25", date="2026-02-03")
        page = client.get(f"/o/{org.slug}/budgets/{budget_id}/history").get_data(as_text=True)
        shown = re.findall(r'data-period="([\d-]+)"', page)
        assert shown == ["2026-04-01", "2026-03-01", "2026-02-01", "2026-01-01"]
        assert "December 2025" not in page
        history = api.get(f"/budgets/{budget_id}").get_json()["history"]
        assert [h["period_start"] for h in history] == shown
        assert [h["spent"] for h in history] == ["0.0000", "0.0000", "25.0000", "0.0000"]


def test_saving_a_transaction_survives_redis_being_down(app_factory, make):
    from app.extensions import db
    from app.models import Transaction
    from app.services.ledger import transactions
    from tenants.context import tenant_context

    broken = app_factory(REDIS_URL="redis://127.0.0.1:1/0")
    owner = make.user()
    org = make.org(owner)
    category = make.category(org)
    with broken.app_context(), tenant_context(org.id, owner.id):
        values = {"kind": "expense", "date": "2026-11-02", "amount": "5", "category_id": category}
        txn = transactions.create(make.seat(org, owner), values)
        assert db.session.get(Transaction, (org.id, txn.id)) is not None
