"""Search and filters: each narrows correctly, they combine, keyset pages return every row
exactly once in order, and a saved view reproduces the same list."""

from __future__ import annotations

import random
import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta

from tests.support.api import Api, token_for
from tests.support.factories import PASSWORD, Factory
from tests.support.web import login, post_form

WORDS = ["coffee", "amazon", "train", "hotel", "printer", "lunch", "paper", "taxi"]


@pytest.fixture(scope="module")
def ledger(app):
    """An org with varied rows; `rows` is what the test knows independently of the app."""
    make = Factory(app)
    owner, colleague = make.user(), make.user()
    org = make.org(owner)
    make.member(org, colleague, "accountant")
    rng = random.Random(7)
    travel = make.category(org, "expense", "Travel costs")
    child = _child(app, org, travel)
    cats = {
        "income": [make.category(org, "income")],
        "expense": [make.category(org, "expense"), travel, child],
    }
    with app.app_context():
        from app.extensions import db
        from app.models import PaymentMethod
        from tenants.context import tenant_context

        with tenant_context(org.id):
            methods = list(db.session.scalars(db.select(PaymentMethod.id).limit(3)))
    today = datetime.now(UTC).date()
    rows = []
    for n in range(90):
        kind = "income" if n % 5 == 0 else "expense"
        row = {
            "kind": kind,
            "date": today - relativedelta(days=rng.randint(0, 500)),
            "amount": Decimal(rng.randint(100, 90_000)) / 100,
            "category_id": rng.choice(cats[kind]),
            "payment_method_id": rng.choice([*methods, None]),
            "tags": rng.sample(["q1", "client-x", "travel"], rng.randint(0, 2)),
            "description": f"{rng.choice(WORDS)} {n}",
            "notes": rng.choice(["", "paid by card", "see receipt"]),
            "by": rng.choice([owner, colleague]),
        }
        if n % 9 == 0:
            row["amount"] = Decimal("42.00")  # ties in amount must still page correctly
        row["id"] = make.transaction(
            org,
            row["by"],
            role="owner",
            **{
                k: (
                    v.isoformat()
                    if isinstance(v, date)
                    else str(v)
                    if isinstance(v, Decimal)
                    else v
                )
                for k, v in row.items()
                if k not in {"by"} and v is not None
            },
        )
        rows.append(row)
    return {
        "org": org,
        "owner": owner,
        "colleague": colleague,
        "rows": rows,
        "travel": travel,
        "child": child,
        "methods": methods,
        "today": today,
    }


def _child(app, org, parent_id):
    from app.seat import Seat
    from app.services.ledger import categories
    from tenants.context import tenant_context

    with app.app_context(), tenant_context(org.id):
        return categories.create_category(
            Seat.system(org), {"name": "Rail", "kind": "expense", "parent_id": parent_id}
        ).id


@pytest.fixture
def api(app, client, ledger):
    return Api(client, token_for(app, ledger["owner"]), ledger["org"].slug)


def fetch_all(api, query: str, limit: int = 7) -> list[dict]:
    """Follow next_cursor to the end; fail if a page repeats or loops."""
    items, cursor, pages = [], None, 0
    while True:
        sep = "&" if query else ""
        url = f"/transactions?{query}{sep}limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        body = api.get(url).get_json()
        items.extend(body["items"])
        cursor = body["next_cursor"]
        pages += 1
        assert pages < 1000
        if not cursor:
            return items


def ids(items) -> list[int]:
    return [i["id"] for i in items]


def expect(rows, predicate, key=lambda r: (r["date"], r["id"]), reverse=True) -> list[int]:
    return [r["id"] for r in sorted(filter(predicate, rows), key=key, reverse=reverse)]


def test_keyset_pages_return_every_row_once_in_order(api, ledger):
    rows = ledger["rows"]
    assert ids(fetch_all(api, "")) == expect(rows, lambda r: True)
    assert ids(fetch_all(api, "sort=date")) == expect(rows, lambda r: True, reverse=False)
    by_amount = lambda r: (r["amount"], r["id"])  # noqa: E731
    assert ids(fetch_all(api, "sort=-amount", 5)) == expect(rows, lambda r: True, by_amount)
    assert ids(fetch_all(api, "sort=amount", 11)) == expect(
        rows, lambda r: True, by_amount, reverse=False
    )


def test_each_filter_narrows_correctly(api, ledger):
    rows, today = ledger["rows"], ledger["today"]
    travel, child = ledger["travel"], ledger["child"]
    method = ledger["methods"][0]
    colleague = ledger["colleague"]
    month = today.replace(day=1)
    cases = {
        "kind=income": lambda r: r["kind"] == "income",
        f"category={travel}": lambda r: r["category_id"] in (travel, child),
        f"category={child}": lambda r: r["category_id"] == child,
        "min=100": lambda r: r["amount"] >= 100,
        "max=42": lambda r: r["amount"] <= 42,
        f"method={method}": lambda r: r["payment_method_id"] == method,
        "tag=client-x": lambda r: "client-x" in r["tags"],
        f"created_by={colleague.id}": lambda r: r["by"].id == colleague.id,
        "q=coff": lambda r: r["description"].startswith("coffee"),
        "q=receipt": lambda r: "receipt" in r["notes"],
        f"from={(today - relativedelta(days=30)).isoformat()}&to={today.isoformat()}": (
            lambda r: today - relativedelta(days=30) <= r["date"] <= today
        ),
        "preset=this-month": lambda r: month <= r["date"],
        "preset=last-month": lambda r: month - relativedelta(months=1) <= r["date"] < month,
        "preset=this-year": lambda r: r["date"].year == today.year,
    }
    for query, predicate in cases.items():
        got = ids(fetch_all(api, query))
        want = expect(rows, predicate)
        assert got == want, query
        assert 0 < len(got) < len(rows) or query.startswith("preset"), f"{query} is vacuous"


def test_filters_combine(api, ledger):
    rows, travel, child = ledger["rows"], ledger["travel"], ledger["child"]
    query = f"kind=expense&category={travel}&min=50&q=t"
    want = expect(
        rows,
        lambda r: (
            r["kind"] == "expense"
            and r["category_id"] in (travel, child)
            and r["amount"] >= 50
            and any(
                w.startswith("t") for w in re.findall(r"\w+", r["description"] + " " + r["notes"])
            )
        ),
    )
    assert ids(fetch_all(api, query)) == want


def test_bad_filters_are_named(api):
    response = api.get("/transactions?from=yesterday&min=-1&kind=gift&sort=random&limit=0")
    assert response.status_code == 422
    fields = {e["field"] for e in response.get_json()["errors"]}
    assert fields >= {"from", "min", "kind", "sort"}
    assert api.get("/transactions?cursor=not-a-cursor").status_code == 422


def test_saved_view_reproduces_the_same_list(client, ledger):
    org, owner, travel = ledger["org"], ledger["owner"], ledger["travel"]
    login(client, owner.email, PASSWORD)
    base = f"/o/{org.slug}/transactions"
    query = f"kind=expense&category={travel}&sort=-amount&limit=200"
    listed = client.get(f"{base}?{query}").get_data(as_text=True)
    saved = post_form(
        client,
        f"/o/{org.slug}/views",
        {"name": "Big travel", "query": query},
        token_from=base,
    )
    assert saved.status_code == 302
    page = client.get(base).get_data(as_text=True)
    (view_id,) = re.findall(rf'/o/{org.slug}/views/(\d+)">Big travel<', page)
    opened = client.get(f"/o/{org.slug}/views/{view_id}", follow_redirects=True)
    row_ids = re.findall(r'<tr data-id="(\d+)"', opened.get_data(as_text=True))
    assert row_ids and row_ids == re.findall(r'<tr data-id="(\d+)"', listed)
    # The filters show in the URL, so the view can be bookmarked and shared.
    assert f"category={travel}" in opened.request.full_path


def test_web_list_pages_with_a_next_link(client, ledger):
    org, owner = ledger["org"], ledger["owner"]
    login(client, owner.email, PASSWORD)
    page = client.get(f"/o/{org.slug}/transactions?limit=40").get_data(as_text=True)
    (next_link,) = re.findall(r'rel="next" href="([^"]+)"', page)
    second = client.get(f"/o/{org.slug}/transactions{next_link.replace('&amp;', '&')}")
    first_ids = re.findall(r'<tr data-id="(\d+)"', page)
    second_ids = re.findall(r'<tr data-id="(\d+)"', second.get_data(as_text=True))
    assert len(first_ids) == 50 or len(first_ids) == 40
    assert second_ids and not set(first_ids) & set(second_ids)
