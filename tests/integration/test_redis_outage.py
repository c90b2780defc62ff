"""Redis is a helper, not a dependency: with it down, people log in, read and save; limits
count in memory; readiness says Redis is down; when it returns, what was queued runs once.
And budget checks are coalesced: a burst of saves leaves one pending check per org."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from redis import Redis
from rq import Queue

from tests.integration.test_budgets import api_for
from tests.support.accounts import new_email, register
from tests.support.factories import PASSWORD
from tests.support.jobs import run_jobs
from tests.support.processes import RedisServer
from tests.support.web import https_client, login, post_form

pytestmark = pytest.mark.slow


def pending_checks(app, redis_url: str, org_id: int) -> int:
    queue = Queue(
        app.config["OUTLAY_QUEUE_PREFIX"] + "default", connection=Redis.from_url(redis_url)
    )
    return sum(
        1
        for job in queue.get_jobs()
        if job.func_name == "app.jobs.run" and job.args == ("check_budgets", org_id)
    )


def test_a_hundred_saves_leave_one_pending_budget_check(app, make, client, redis_url, mailbox):
    owner = make.user()
    org = make.org(owner, "Busy Co")
    api = api_for(app, client, owner, org)
    api.post("/budgets", json={"name": "Monthly", "amount": "1000", "period": "monthly"})
    for _ in range(100):
        make.transaction(org, owner, amount="9")  # 900 of 1000: crosses 80%
    assert pending_checks(app, redis_url, org.id) == 1

    run_jobs(app, redis_url)
    assert pending_checks(app, redis_url, org.id) == 0
    subjects = [m["Subject"] for m in mailbox.to(owner.email)]
    assert len(subjects) == 1 and "reached 80%" in subjects[0]
    # The check ran, so the next save queues a new one (the pending mark does not stick).
    make.transaction(org, owner, amount="200")
    assert pending_checks(app, redis_url, org.id) == 1
    run_jobs(app, redis_url)
    assert len(mailbox.to(owner.email)) == 2


@pytest.fixture
def private_redis(tmp_path):
    server = RedisServer(tmp_path / "redis").start()
    yield server
    server.stop()


def test_with_redis_down_people_log_in_read_and_save_and_queued_work_runs_once_after(
    app_factory, make, private_redis, mailbox, caplog
):
    app = app_factory(REDIS_URL=private_redis.url, RATELIMIT_LOGIN="6 per minute")
    owner = make.user()
    org = make.org(owner, "Outage Ltd")
    mailbox.clear()
    browser = https_client(app)
    assert login(browser, owner.email, PASSWORD).status_code == 302
    api = api_for(app, browser, owner, org)
    api.post("/budgets", json={"name": "Monthly", "amount": "100", "period": "monthly"})
    category = make.category(org, "expense")
    new = f"/o/{org.slug}/transactions/new"
    today = datetime.now(UTC).date().isoformat()

    def save(amount: str):
        fields = {"kind": "expense", "date": today, "amount": amount, "category_id": category}
        return post_form(browser, new, fields, token_from=new)

    assert save("85").status_code == 302  # crosses 80%: a budget check is queued
    assert pending_checks(app, private_redis.url, org.id) == 1
    assert browser.get("/readyz").get_json() == {
        "status": "ok",
        "database": "ok",
        "redis": "ok",
    }

    private_redis.stop()
    caplog.set_level("WARNING")
    other = https_client(app)
    assert login(other, owner.email, PASSWORD).status_code == 302  # the login throttle fails open
    assert other.get(f"/o/{org.slug}/").status_code == 200
    assert save("1").status_code == 302  # saved; its budget check could not be queued
    # The API saves too, and the pages that were 500s (rate-limit storage) answer.
    written = api.post(
        "/transactions",
        json={"kind": "expense", "date": today, "amount": "2", "category_id": category},
    )
    assert written.status_code == 201, written.get_data(as_text=True)
    assert api.get("/transactions").status_code == 200
    visitor = https_client(app)
    reset = post_form(visitor, "/reset", {"email": owner.email}, token_from="/reset")
    assert reset.status_code == 200
    assert register(visitor, new_email("outage")).status_code in (200, 302)
    page = browser.get(f"/o/{org.slug}/transactions").get_data(as_text=True)
    assert "85" in page
    ready = browser.get("/readyz")
    assert ready.status_code == 200
    assert ready.get_json() == {"status": "degraded", "database": "ok", "redis": "down"}
    assert "falling back to in-memory storage" in caplog.text
    assert "the change is saved" in caplog.text

    # The per-process limit still holds: wrong passwords are throttled in memory.
    stranger = https_client(app)
    codes = [login(stranger, owner.email, "wrong-password-1").status_code for _ in range(8)]
    assert 429 in codes and 500 not in codes

    private_redis.start()  # same data folder: what was queued before the outage is there
    assert pending_checks(app, private_redis.url, org.id) == 1
    run_jobs(app, private_redis.url)
    run_jobs(app, private_redis.url)
    subjects = [m["Subject"] for m in mailbox.to(owner.email)]
    assert len(subjects) == 1 and "reached 80%" in subjects[0], subjects
    assert browser.get("/readyz").get_json()["redis"] == "ok"
