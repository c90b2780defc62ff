"""The dashboard's figures equal sums computed here, independently, from the inserted rows."""

from __future__ import annotations

import random
import re
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_EVEN, Decimal

from dateutil.relativedelta import relativedelta

from tests.support.api import Api, token_for
from tests.support.factories import PASSWORD
from tests.support.web import login


def test_totals_match_an_independent_sum_to_the_cent(app, client, make):
    owner = make.user()
    org = make.org(owner)
    rng = random.Random(20261125)
    categories = {
        kind: [make.category(org, kind)]
        + [make.category(org, kind, f"{kind} {n}") for n in range(4)]
        for kind in ("income", "expense")
    }
    # A child category rolls up into its parent in the spending chart.
    today = datetime.now(UTC).date()
    month = today.replace(day=1)
    rows = []
    for _ in range(120):
        kind = rng.choice(["income", "expense", "expense"])
        day = (
            month
            - relativedelta(months=rng.randint(0, 14))
            + relativedelta(days=rng.randint(0, 27))
        )
        if day > month + relativedelta(months=1, days=-1):
            day = month
        amount = Decimal(rng.randint(1, 500_000)) / 100
        # EUR amounts have at most two decimals (a third is refused, docs/input.md), so
        # the base amounts are the amounts themselves.
        rows.append((kind, day, amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)))
        make.transaction(
            org,
            owner,
            kind=kind,
            date=day.isoformat(),
            amount=str(amount),
            category_id=rng.choice(categories[kind]),
        )

    last = month - relativedelta(months=1)

    def total(kind: str, start: date | None = None, end: date | None = None) -> Decimal:
        return sum(
            (
                a
                for k, d, a in rows
                if k == kind and (start is None or d >= start) and (end is None or d < end)
            ),
            Decimal(0),
        )

    expected = {
        "balance": total("income") - total("expense"),
        "income_month": total("income", month),
        "expense_month": total("expense", month),
        "income_last_month": total("income", last, month),
        "expense_last_month": total("expense", last, month),
    }

    api = Api(client, token_for(app, owner), org.slug)
    figures = api.get("/dashboard").get_json()
    for key, value in expected.items():
        assert Decimal(figures["totals"][key]) == value, key
    monthly = {m["month"]: m for m in figures["monthly"]}
    assert len(monthly) == 12
    for offset in range(12):
        start = month - relativedelta(months=offset)
        end = start + relativedelta(months=1)
        entry = monthly[start.strftime("%Y-%m")]
        assert Decimal(entry["income"]) == total("income", start, end)
        assert Decimal(entry["expense"]) == total("expense", start, end)
    spent = sum((Decimal(c["total"]) for c in figures["spending_this_month"]), Decimal(0))
    assert spent == expected["expense_month"]

    # The page a person sees shows the same figures.
    login(client, owner.email, PASSWORD)
    page = client.get(f"/o/{org.slug}/").get_data(as_text=True)
    shown = dict(re.findall(r'data-testid="([a-z-]+)" data-amount="([-0-9.]+)"', page))
    assert Decimal(shown["balance-all"]) == expected["balance"]
    assert Decimal(shown["income-month"]) == expected["income_month"]
    assert Decimal(shown["expense-month"]) == expected["expense_month"]
    assert Decimal(shown["net-month"]) == expected["income_month"] - expected["expense_month"]


def test_new_org_dashboard_says_what_to_do_first(client, make):
    owner = make.user()
    org = make.org(owner)
    login(client, owner.email, PASSWORD)
    page = client.get(f"/o/{org.slug}/").get_data(as_text=True)
    assert 'data-testid="empty-state"' in page
    assert "Record your first expense or income" in page
    assert "No spending recorded this month." in page


def test_another_orgs_rows_never_count(app, client, make):
    owner = make.user()
    org, other = make.org(owner), make.org(make.user())
    make.transaction(org, owner, kind="income", amount="10")
    stranger = make.user()
    make.member(other, stranger, "owner")
    make.transaction(other, stranger, kind="income", amount="1000")
    api = Api(client, token_for(app, owner), org.slug)
    assert api.get("/dashboard").get_json()["totals"]["balance"] == "10.0000"
