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
