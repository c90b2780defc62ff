"""Multi-currency: ECB reference rates, cross rates through EUR, each currency's minor units."""

from __future__ import annotations

import http.server
import threading
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from redis import Redis

from tests.support.api import Api, fields_of, token_for
from tests.support.factories import Factory

DATA = Path(__file__).resolve().parents[1] / "data"


def org_in(app, client, make: Factory, base: str):
    owner = make.user()
    org = make.org(owner)
    if base != "EUR":
        from app.services.orgs.orgs import update_settings
        from tenants.context import tenant_context

        with app.app_context(), tenant_context(org.id, owner.id):
            update_settings(make.seat(org, owner), org.name, base)
    return owner, org, Api(client, token_for(app, owner), org.slug)


def record(api, make, org, currency: str, amount: str, day: str, **extra):
    fields = make.expense_fields(org, date=day, amount=amount, currency=currency, **extra)
    return api.post("/transactions", fields)


@pytest.mark.parametrize(
    ("base", "currency", "amount", "expected", "rate"),
    [
        # ECB fixes of Friday 2024-03-15: USD 1.0892, JPY 162.03, GBP 0.8541 per EUR.
        ("EUR", "USD", "100", "91.8100", "0.9181050312"),  # 91.8105 -> 2 decimals
        ("JPY", "EUR", "1000", "162030.0000", "162.0300000000"),  # JPY has no minor unit
        ("JPY", "USD", "250", "37190.0000", "148.7605582079"),  # cross rate through EUR
        ("BHD", "EUR", "100", "40.9540", "0.4095392000"),  # BHD: 3 decimals, USD peg 0.376
        ("BHD", "GBP", "10", "4.7950", "0.4794979511"),  # 4.794979... -> 4.795
    ],
)
def test_known_amounts_convert_to_the_minor_unit(
    app, client, make, base, currency, amount, expected, rate
):
    _owner, org, api = org_in(app, client, make, base)
    response = record(api, make, org, currency, amount, "2024-03-15")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["base_amount"] == expected
    assert body["rate"] == rate
    assert body["rate_source"] == "ecb" and body["rate_date"] == "2024-03-15"


def test_a_weekend_uses_fridays_fix_and_says_so(app, client, make):
    _owner, org, api = org_in(app, client, make, "EUR")
    saturday = record(api, make, org, "USD", "100", "2024-03-16").get_json()
    assert saturday["rate_date"] == "2024-03-15" and saturday["base_amount"] == "91.8100"
    rates = api.client.get("/api/v1/rates?base=EUR&date=2024-03-17", headers=api.headers).get_json()
    assert rates["fix_date"] == "2024-03-15" and rates["rates"]["USD"] == "0.9181050312"


def test_unknown_currencies_are_refused_clearly(app, client, make):
    _owner, org, api = org_in(app, client, make, "EUR")
    bad = record(api, make, org, "XYZ", "10", "2024-03-15")
    assert bad.status_code == 422 and "not an ISO 4217" in fields_of(bad)["currency"]
    unquoted = record(api, make, org, "KWD", "10", "2024-03-15")
    assert unquoted.status_code == 422
    assert "no reference rate for KWD" in fields_of(unquoted)["currency"]
    # With the rate the bank gave, a currency the ECB does not quote can be recorded.
    given = record(api, make, org, "KWD", "10", "2024-03-15", rate="2.9876")
    assert given.status_code == 201 and given.get_json()["base_amount"] == "29.8800"
    assert api.get("/transactions").get_json()["items"][0]["currency"] == "KWD"


def test_dashboard_totals_sum_base_amounts_of_mixed_currencies(app, client, make):
    _owner, org, api = org_in(app, client, make, "EUR")
    # (currency, amount, day, units per EUR that day, from the ECB history)
    entries = [
        ("USD", "1234.56", "2026-06-12", "1.1567"),
        ("GBP", "99.99", "2026-06-12", "0.86305"),
        ("JPY", "50000", "2026-06-15", "185.93"),
        ("CHF", "0.05", "2026-06-15", "0.9212"),
        ("EUR", "10.10", "2026-06-15", "1"),
    ]
    expected = Decimal(0)
    for currency, amount, day, per_eur in entries:
        assert record(api, make, org, currency, amount, day).status_code == 201
        rate = (Decimal(1) / Decimal(per_eur)).quantize(Decimal("1E-10"))
        expected += (Decimal(amount) * rate).quantize(Decimal("0.01"))
    figures = api.get("/dashboard").get_json()
    assert Decimal(figures["totals"]["expense_all"]) == expected
    june = {m["month"]: m for m in figures["monthly"]}["2026-06"]
    assert Decimal(june["expense"]) == expected


def test_a_rate_override_changes_only_that_transaction_and_is_audited(app, client, make):
    _owner, org, api = org_in(app, client, make, "EUR")
    first = record(api, make, org, "USD", "100", "2024-03-15").get_json()
    second = record(api, make, org, "USD", "100", "2024-03-15").get_json()
    changed = api.patch(f"/transactions/{first['id']}", {"rate": "0.9000"})
    assert changed.status_code == 200
    body = changed.get_json()
    assert body["rate_source"] == "override" and body["base_amount"] == "90.0000"
    assert body["rate_date"] is None
    assert api.get(f"/transactions/{second['id']}").get_json()["base_amount"] == "91.8100"
    # Editing the amount keeps the user's rate.
    assert (
        api.patch(f"/transactions/{first['id']}", {"amount": "200"}).get_json()["base_amount"]
        == "180.0000"
    )
    with app.app_context():
        from app.services.platform.audit import entries
        from tenants.context import tenant_context

        with tenant_context(org.id):
            overrides = [e for e in entries(org.id) if e.action == "transaction.rate_overridden"]
    assert len(overrides) == 1
    assert overrides[0].object_id == str(first["id"]) and overrides[0].after["rate"].startswith(
        "0.9"
    )


def test_base_currency_is_fixed_once_there_are_transactions(app, client, make):
    from tests.support.web import login, submit

    owner, org, api = org_in(app, client, make, "EUR")
    login(client, owner.email, "correct-horse-battery")
    settings = f"/o/{org.slug}/settings"
    ok = submit(client, settings, {"name": org.name, "base_currency": "USD"})
    assert ok.status_code == 302
    record(api, make, org, "USD", "5", "2024-03-15")
    refused = submit(client, settings, {"name": org.name, "base_currency": "GBP"})
    assert refused.status_code == 422 and "no transactions" in refused.get_data(as_text=True)


class _Feed(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(DATA), **kwargs)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def feed_url():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Feed)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/eurofxref-hist-90d.xml"
    server.shutdown()


def run_rates_job(app, redis_url):
    """Enqueue the daily job and let a real RQ worker run it (burst)."""
    from workers import queues, runtime
    from workers.worker import OutlayWorker

    runtime.use_app(app)
    with app.app_context():
        job = queues.enqueue(queues.DEFAULT, "workers.jobs.rates.refresh_rates")
        name = queues.name(queues.DEFAULT)
    redis = Redis.from_url(redis_url)
    OutlayWorker([name], connection=redis).work(burst=True)
    job.refresh()
    return job


def usd_fix(app, day: date):
    from sqlalchemy import text

    from app.extensions import db

    with app.app_context():
        return db.session.execute(
            text("SELECT per_eur FROM fx_rates WHERE currency = 'USD' AND day = :d"), {"d": day}
        ).scalar()


def test_the_rates_job_reads_the_ecb_feed_and_is_idempotent(app_factory, redis_url, feed_url):
    """The feed is a stored copy in the ECB's real XML format (figures illustrative)."""
    app = app_factory(OUTLAY_ECB_URLS=[feed_url])
    first = run_rates_job(app, redis_url)
    assert first.is_finished, first.latest_result()
    assert usd_fix(app, date(2026, 11, 24)) == Decimal("1.1480000000")
    assert usd_fix(app, date(2026, 11, 23)) == Decimal("1.1466000000")
    again = run_rates_job(app, redis_url)
    assert again.is_finished and again.return_value() == 0  # nothing changed the second time


def test_an_unreachable_feed_keeps_the_old_rates_and_the_app_works(
    app_factory, redis_url, client, make
):
    app = app_factory(OUTLAY_ECB_URLS=["http://127.0.0.1:9/eurofxref-daily.xml"])
    before = usd_fix(app, date(2024, 3, 15))
    job = run_rates_job(app, redis_url)
    assert job.is_finished  # logged, not failed: there is nothing to retry until tomorrow
    assert usd_fix(app, date(2024, 3, 15)) == before
    _owner, org, api = org_in(app, app.test_client(), Factory(app), "EUR")
    assert record(api, Factory(app), org, "USD", "100", "2024-03-15").status_code == 201


def test_a_german_user_types_and_reads_amounts_the_german_way(app, client, make):
    import re

    from tests.support.web import login, submit

    owner = make.user()
    org = make.org(owner)
    with app.app_context():
        from app.extensions import db
        from app.models import User
        from tenants.context import set_tenant

        set_tenant(db.session, None, owner.id)  # RLS on users: a row is changed as its user
        db.session.get(User, owner.id).locale = "de_DE"
        db.session.commit()
    login(client, owner.email, "correct-horse-battery")
    new = f"/o/{org.slug}/transactions/new"
    saved = submit(client, new, make.expense_fields(org, amount="1.234,56", currency="USD"))
    assert saved.status_code == 302
    page = client.get(f"/o/{org.slug}/transactions").get_data(as_text=True)
    # 1,234.56 USD at 0.9181050312 EUR per USD on 2024-03-15 is 1,133.46 EUR.
    assert "1.234,56\xa0$" in page and "1.133,46\xa0€" in page
    # The rate and its fix date stand beside the base amount (not in a tooltip).
    assert re.search(
        r'data-testid="conversion">[^<]*1\.133,46[^<]*<span[^>]*>@ [^<]*ECB 2024-03-15', page
    )


def test_budget_totals_sum_base_amounts_of_mixed_currencies(app, client, make):
    """Budgets count what was spent in the base currency, whatever currency it was paid in."""
    from datetime import UTC, datetime

    _owner, org, api = org_in(app, client, make, "EUR")
    today = datetime.now(UTC).date()
    day = today.replace(day=1).isoformat()  # this month: the budget's current period
    budget = api.post("/budgets", {"amount": "100000", "period": "monthly"}).get_json()
    entries = [("EUR", "12.34"), ("USD", "250.00"), ("JPY", "9999"), ("GBP", "0.99")]
    bodies = [record(api, make, org, code, amount, day).get_json() for code, amount in entries]
    expected = Decimal(0)
    for body in bodies:
        # Independently: amount x the stored rate, rounded to EUR's cents.
        expected += (Decimal(body["amount"]) * Decimal(body["rate"])).quantize(Decimal("0.01"))
    current = api.get(f"/budgets/{budget['id']}").get_json()["current"]
    assert Decimal(current["spent"]) == expected
    totals = api.get("/dashboard").get_json()["totals"]
    assert Decimal(totals["expense_month"]) == expected
