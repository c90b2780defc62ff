"""Recurring transactions: schedules, and the materialiser posting each occurrence once, run by
a real RQ worker on real Redis (in-process burst workers, forked work horses)."""

from __future__ import annotations

import multiprocessing
from calendar import monthrange
from datetime import UTC, date, datetime, timedelta

import pytest
from rq import Retry
from sqlalchemy import create_engine, pool, text
from sqlalchemy.exc import IntegrityError

from app.config import derive_role_url, sqlalchemy_url
from tests.support.recurring import enqueue, make_rule, posted, run_worker

MATERIALISE = "workers.jobs.recurring.materialise_org"


def today() -> date:
    return datetime.now(UTC).date()


def months_back(day: date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 - months
    return index // 12, index % 12 + 1


def expected_monthly_31(start: date, through: date) -> list[str]:
    """Independent of rrule: the 31st, or the month's last day when it has fewer."""
    out = []
    year, month = start.year, start.month
    while True:
        day = date(year, month, min(31, monthrange(year, month)[1]))
        if day > through:
            return out
        out.append(day.isoformat())
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


@pytest.fixture
def owner_org(make):
    owner = make.user()
    return owner, make.org(owner)


def test_monthly_on_the_31st_posts_on_the_last_day_of_shorter_months(app, owner_org):
    owner, org = owner_org
    start = date(today().year - 1, 1, 31)
    rule_id = make_rule(app, org, owner, start_date=start.isoformat(), month_day=31)

    enqueue(app, MATERIALISE, org.id)
    run_worker(app)

    dates = [occurrence for occurrence, _ in posted(app, org, rule_id)]
    assert dates == expected_monthly_31(start, today())
    year = start.year
    february = f"{year}-02-{monthrange(year, 2)[1]:02d}"
    assert dates[:4] == [f"{year}-01-31", february, f"{year}-03-31", f"{year}-04-30"]
    assert all(when == occurrence for occurrence, when in posted(app, org, rule_id))


def test_running_twice_posts_each_occurrence_once(app, owner_org):
    owner, org = owner_org
    start = today() - timedelta(days=20)
    rule_id = make_rule(app, org, owner, frequency="daily", start_date=start.isoformat())

    enqueue(app, MATERIALISE, org.id)
    enqueue(app, MATERIALISE, org.id)
    run_worker(app)
    enqueue(app, MATERIALISE, org.id)
    run_worker(app)

    dates = [occurrence for occurrence, _ in posted(app, org, rule_id)]
    assert dates == [(start + timedelta(days=n)).isoformat() for n in range(21)]


def _worker_process(app) -> None:
    run_worker(app)


def test_two_worker_processes_at_once_post_each_occurrence_once(app, owner_org):
    owner, org = owner_org
    start = today() - timedelta(days=299)  # 300 occurrences: the two runs overlap
    rule_id = make_rule(app, org, owner, frequency="daily", start_date=start.isoformat())
    for _ in range(4):
        enqueue(app, MATERIALISE, org.id)

    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_worker_process, args=(app,)) for _ in range(2)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(120)
        assert process.exitcode == 0

    dates = [occurrence for occurrence, _ in posted(app, org, rule_id)]
    assert dates == [(start + timedelta(days=n)).isoformat() for n in range(300)]


def test_a_work_horse_killed_mid_job_is_retried_with_no_gap_and_no_duplicate(
    app, owner_org, tmp_path
):
    owner, org = owner_org
    start = today() - timedelta(days=9)
    rule_id = make_rule(app, org, owner, frequency="daily", start_date=start.isoformat())
    marker = tmp_path / "killed"

    job = enqueue(
        app,
        "tests.support.recurring.post_some_then_die",
        org.id,
        rule_id,
        4,
        str(marker),
        retry=Retry(max=2),
    )
    run_worker(app)

    assert marker.read_text() == "killed"  # the first attempt really died after 4 postings
    job.refresh()
    assert job.get_status() == "finished"
    dates = [occurrence for occurrence, _ in posted(app, org, rule_id)]
    assert dates == [(start + timedelta(days=n)).isoformat() for n in range(10)]


def test_the_unique_key_refuses_a_second_posting_of_an_occurrence(app, owner_url, owner_org):
    """The guarantee lives in the database, not in the job's bookkeeping."""
    owner, org = owner_org
    day = today() - timedelta(days=1)
    rule_id = make_rule(app, org, owner, frequency="daily", start_date=day.isoformat())
    enqueue(app, MATERIALISE, org.id)
    run_worker(app)
    assert len(posted(app, org, rule_id)) == 2

    engine = create_engine(
        sqlalchemy_url(derive_role_url(owner_url, "outlay_app")), poolclass=pool.NullPool
    )
    try:
        with engine.connect() as conn, conn.begin():
            conn.execute(text("SELECT set_config('app.org_id', :o, true)"), {"o": str(org.id)})
            columns = conn.execute(
                text(
                    "SELECT string_agg(column_name, ', ') FROM information_schema.columns "
                    "WHERE table_name = 'transactions' AND column_name NOT IN ('id', 'search')"
                )
            ).scalar()
            with pytest.raises(IntegrityError, match="uq_transactions_occurrence"):
                conn.execute(
                    text(
                        f"INSERT INTO transactions ({columns}) SELECT {columns} "
                        "FROM transactions WHERE recurring_rule_id = :r LIMIT 1"
                    ),
                    {"r": rule_id},
                )
    finally:
        engine.dispose()


def _count_rules(app, org) -> int:
    from app.extensions import db
    from app.models import RecurringRule
    from tenants.context import tenant_context

    with app.app_context(), tenant_context(org.id):
        return db.session.scalar(db.select(db.func.count(RecurringRule.id)))


GOOD = {
    "kind": "expense",
    "amount": "1200.00",
    "frequency": "monthly",
    "month_day": 31,
    "start_date": "2026-01-31",
}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": "0"}, "amount"),
        ({"amount": "-5"}, "amount"),
        ({"end_date": "2025-12-31"}, "end_date"),
        ({"interval": 0}, "interval"),
        ({"month_day": 32}, "month_day"),
        ({"count": 0}, "count"),
        ({"frequency": "fortnightly"}, "frequency"),
        ({"start_date": "31/01/2026"}, "start_date"),
        ({"currency": "USD"}, "currency"),
    ],
)
def test_api_refuses_bad_rules_by_field_and_saves_nothing(app, client, owner_org, change, field):
    from tests.support.api import Api, fields_of, token_for

    owner, org = owner_org
    api = Api(client, token_for(app, owner), org.slug)
    category = api.get("/categories").get_json()
    expense = next(c["id"] for c in category["items"] if c["kind"] == "expense")
    response = api.post("/recurring", json={**GOOD, "category_id": expense, **change})
    assert response.status_code == 422, response.get_json()
    assert field in fields_of(response)
    assert _count_rules(app, org) == 0


def test_api_round_trip_edit_applies_to_future_occurrences_only(app, client, owner_org):
    from tests.support.api import Api, token_for

    owner, org = owner_org
    api = Api(client, token_for(app, owner), org.slug)
    expense = next(
        c["id"] for c in api.get("/categories").get_json()["items"] if c["kind"] == "expense"
    )
    start = today() - timedelta(days=2)
    created = api.post(
        "/recurring",
        json={
            "kind": "expense",
            "amount": "10.00",
            "category_id": expense,
            "frequency": "daily",
            "start_date": start.isoformat(),
            "description": "Coffee",
        },
    )
    assert created.status_code == 201, created.get_json()
    rule = created.get_json()
    assert rule["amount"] == "10.0000" and rule["next_occurrences"][0] == start.isoformat()
    enqueue(app, MATERIALISE, org.id)
    run_worker(app)
    assert len(posted(app, org, rule["id"])) == 3

    changed = api.patch(f"/recurring/{rule['id']}", json={"amount": "12.50", "frequency": "weekly"})
    assert changed.status_code == 200, changed.get_json()
    body = changed.get_json()
    assert body["amount"] == "12.5000"
    # Weekly on the start date's weekday, from the day after the last posted occurrence.
    assert body["next_occurrences"][:2] == [
        (start + timedelta(days=7)).isoformat(),
        (start + timedelta(days=14)).isoformat(),
    ]
    txns = api.get("/transactions?q=Coffee").get_json()["items"]
    assert sorted(t["amount"] for t in txns) == ["10.0000"] * 3, "a posted transaction changed"

    paused = api.patch(f"/recurring/{rule['id']}", json={"paused": True}).get_json()
    assert paused["paused"] is True
    assert api.delete(f"/recurring/{rule['id']}").status_code == 204
    assert len(api.get("/transactions?q=Coffee").get_json()["items"]) == 3  # posted ones stay


def test_web_form_names_each_bad_field_and_skip_keeps_an_occurrence_from_posting(
    app, client, owner_org
):
    from tests.support.web import login, post_form

    owner, org = owner_org
    login(client, owner.email, "correct-horse-battery")
    form = f"/o/{org.slug}/recurring/new"
    page = post_form(
        client,
        form,
        {
            "kind": "expense",
            "amount": "0",
            "frequency": "monthly",
            "interval": "0",
            "month_day": "32",
            "start_date": "2026-01-01",
            "end_date": "2025-01-01",
        },
        token_from=form,
    )
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    for name in ("amount", "interval", "month_day", "category_id"):
        assert f'id="{name}-error"' in html, name
    assert _count_rules(app, org) == 0

    start = today() - timedelta(days=1)
    rule_id = make_rule(app, org, owner, frequency="daily", start_date=start.isoformat())
    listing = client.get(f"/o/{org.slug}/recurring").get_data(as_text=True)
    assert "Next 30 days" in listing and "Rent" in listing
    skipped = today() + timedelta(days=1)
    post_form(
        client,
        f"/o/{org.slug}/recurring/{rule_id}/skip",
        {"date": skipped.isoformat()},
        token_from=f"/o/{org.slug}/recurring",
    )
    bad = post_form(
        client,
        f"/o/{org.slug}/recurring/{rule_id}/skip",
        {"date": "2000-01-01"},
        token_from=f"/o/{org.slug}/recurring",
        follow_redirects=True,
    )
    assert "not an upcoming occurrence" in bad.get_data(as_text=True)
    enqueue(app, MATERIALISE, org.id)
    run_worker(app)
    assert [d for d, _ in posted(app, org, rule_id)] == [start.isoformat(), today().isoformat()]
    # The skipped day comes and goes: never posted.
    from app.seat import Seat
    from app.services.recurring import materialise
    from tenants.context import tenant_context

    with app.app_context(), tenant_context(org.id):
        materialise.materialise(Seat.system(org), skipped + timedelta(days=1))
    dates = [d for d, _ in posted(app, org, rule_id)]
    assert skipped.isoformat() not in dates
    assert dates[-1] == (skipped + timedelta(days=1)).isoformat()
