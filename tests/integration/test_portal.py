"""The analytics portal, driven as a user would through Streamlit's AppTest: it opens only
with a fresh, single-use token from the web app, shows that token's org and nothing else, and
its figures equal sums computed here from the rows the test inserted."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta
from itsdangerous import TimestampSigner
from sqlalchemy import func, text
from streamlit.testing.v1 import AppTest

from app import money
from app.services.accounts import portal_tokens
from streamlit_portal import runtime
from tests.support.factories import seat_of

ENTRY = Path(__file__).resolve().parents[2] / "streamlit_portal" / "app.py"
PAGES = [
    "views/overview.py",
    "views/spending.py",
    "views/trends.py",
    "views/budgets.py",
    "views/cash_flow.py",
    "views/explorer.py",
]


@pytest.fixture
def portal(app):
    runtime.use_app(app)

    def open_with(token: str | None = None, **params: str) -> AppTest:
        at = AppTest.from_file(str(ENTRY), default_timeout=30)
        if token is not None:
            at.query_params["token"] = token
        at.query_params.update(params)
        return at.run()

    return open_with


def token(app, user, org, role: str = "owner") -> str:
    return portal_tokens.mint(app.config["SECRET_KEY"], user.id, org.id, org.slug, role)


def texts(at: AppTest) -> str:
    parts = [e.value for e in (*at.markdown, *at.error, *at.caption, *at.title, *at.info)]
    parts += [f"{m.label}={m.value}" for m in at.metric]
    return "\n".join(str(p) for p in parts)


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def assert_refused(at: AppTest, reason: str, org) -> None:
    assert not at.exception, at.exception
    errors = " ".join(e.value for e in at.error)
    assert "Open Analytics from Outlay" in errors
    assert reason in errors
    assert not at.metric, "figures shown without a valid token"
    assert org.name not in texts(at)
    assert not at.sidebar.selectbox, "filters shown without a valid token"


def this_month_rows(make, org, user, amounts):
    today = datetime.now(UTC).date()
    for kind, amount in amounts:
        make.transaction(org, user, kind=kind, amount=amount, date=today.isoformat())


def test_refused_without_a_valid_token_and_figures_with_one(app, make, portal, monkeypatch):
    owner = make.user()
    org = make.org(owner)
    this_month_rows(make, org, owner, [("income", "1200.50"), ("expense", "99.99")])
    make.transaction(
        org,
        owner,
        kind="expense",
        amount="40.01",
        date=(datetime.now(UTC).date().replace(day=1) - relativedelta(months=1)).isoformat(),
    )

    assert_refused(portal(), "Open Analytics from Outlay", org)

    with monkeypatch.context() as m:  # signed 61 s ago: past the 60 s the token lives
        m.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) - 61)
        old = token(app, owner, org)
    assert_refused(portal(old), "expired", org)

    good = token(app, owner, org)
    payload, _, signature = good.rpartition(".")
    tampered = f"{payload}.{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"
    assert_refused(portal(tampered), "not valid", org)

    at = portal(good)
    assert not at.exception, at.exception
    assert "token" not in at.query_params, "the token stays in the URL"
    assert org.name in texts(at)
    income, expense = Decimal("1200.50"), Decimal("99.99")
    shown = metrics(at)
    assert shown["Income"] == money.display(income, "EUR")
    assert shown["Expenses"] == money.display(expense, "EUR")
    assert shown["Net"] == money.display(income - expense, "EUR")
    rate = ((income - expense) * 100 / income).quantize(Decimal("0.1"))
    assert shown["Savings rate"] == f"{rate} %"
    expense_delta = next(m for m in at.metric if m.label == "Expenses").delta
    assert expense_delta == "+" + money.display(expense - Decimal("40.01"), "EUR")

    assert_refused(portal(good), "already been used", org)


def test_a_token_for_one_org_never_shows_another(app, make, portal):
    owner_a, owner_b = make.user(), make.user()
    org_a, org_b = make.org(owner_a), make.org(owner_b)
    both = make.user()
    make.member(org_a, both, "viewer")
    make.member(org_b, both, "owner")
    this_month_rows(make, org_a, owner_a, [("income", "10.00")])
    this_month_rows(make, org_b, owner_b, [("income", "777.77"), ("expense", "333.33")])

    at = portal(token(app, both, org_a, "viewer"), org=org_b.slug, org_id=str(org_b.id))
    assert not at.exception, at.exception
    assert metrics(at)["Income"] == money.display(Decimal("10.00"), "EUR")
    assert org_b.name not in texts(at) and org_a.name in texts(at)
    for params in ({"org": org_b.slug}, {"org_id": str(org_b.id)}, {"org": str(org_b.id)}):
        at.query_params.update(params)
        at.run()
        assert metrics(at)["Income"] == money.display(Decimal("10.00"), "EUR")
        assert org_b.name not in texts(at)
        for page in PAGES:
            at.switch_page(page).run()
            assert not at.exception, (page, at.exception)
            shown = texts(at)
            assert org_b.name not in shown and "777.77" not in shown, page
        at.switch_page("views/overview.py").run()


def count(app, org) -> int:
    from app.extensions import db
    from tenants.context import tenant_context

    with app.app_context(), tenant_context(org.id):
        return db.session.execute(text("SELECT count(*) FROM transactions")).scalar_one()


def test_a_viewer_reads_every_page_and_nothing_changes(app, make, portal):
    owner, viewer = make.user(), make.user()
    org = make.org(owner)
    make.member(org, viewer, "viewer")
    this_month_rows(make, org, owner, [("income", "500.00"), ("expense", "120.00")])
    before = count(app, org)
    at = portal(token(app, viewer, org, "viewer"))
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        assert org.name in texts(at), page
    assert count(app, org) == before


def test_a_new_transaction_shows_on_the_next_rerun(app, make, portal):
    owner = make.user()
    org = make.org(owner)
    this_month_rows(make, org, owner, [("expense", "15.25")])
    at = portal(token(app, owner, org))
    assert metrics(at)["Expenses"] == money.display(Decimal("15.25"), "EUR")
    this_month_rows(make, org, owner, [("expense", "4.75")])
    at.run()
    assert metrics(at)["Expenses"] == money.display(Decimal("20.00"), "EUR")
    # An edit and a delete (no new row, same count) expire the cache too.
    from app.extensions import db
    from app.models import Transaction
    from app.services.ledger import transactions
    from tenants.context import tenant_context

    with app.app_context(), tenant_context(org.id, owner.id):
        last = db.session.scalar(db.select(func.max(Transaction.id)))
        transactions.update(seat_of(org, owner), last, {"amount": "5.75"})
    at.run()
    assert metrics(at)["Expenses"] == money.display(Decimal("21.00"), "EUR")
    with app.app_context(), tenant_context(org.id, owner.id):
        transactions.delete(seat_of(org, owner), last)
    at.run()
    assert metrics(at)["Expenses"] == money.display(Decimal("15.25"), "EUR")


def test_a_member_sees_only_what_they_recorded(app, make, portal):
    owner, member = make.user(), make.user()
    org = make.org(owner)
    make.member(org, member, "member")
    this_month_rows(make, org, owner, [("expense", "1000.00")])
    this_month_rows(make, org, member, [("expense", "12.34")])
    at = portal(token(app, member, org, "member"))
    assert metrics(at)["Expenses"] == money.display(Decimal("0"), "EUR")  # awaiting approval
    make.approve_all(org, owner)
    at = portal(token(app, member, org, "member"))
    assert metrics(at)["Expenses"] == money.display(Decimal("12.34"), "EUR")


@pytest.mark.parametrize("with_data", [True, False])
def test_every_page_opens(app, make, portal, with_data):
    owner = make.user()
    org = make.org(owner)
    if with_data:
        today = datetime.now(UTC).date()
        for n in range(14):
            day = today - timedelta(days=30 * n)
            make.transaction(org, owner, kind="income", amount="2000.00", date=day.isoformat())
            make.transaction(org, owner, kind="expense", amount="750.10", date=str(day))
    at = portal(token(app, owner, org))
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        if not with_data:
            assert at.info, f"{page}: an empty org gets no hint of what to do"
