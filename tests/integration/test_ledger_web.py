"""Recording money in the browser UI: add, edit, delete, bulk actions, categories, roles."""

from __future__ import annotations

import re

import pytest

from tests.support.api import Api, token_for
from tests.support.factories import PASSWORD
from tests.support.web import login, member_beside_owner, post_form, submit


def rows(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<tr data-id="(\d+)"', html)]


def test_owner_adds_edits_and_deletes_a_transaction(owner_session, make, app):
    client, _owner, org = owner_session
    base = f"/o/{org.slug}/transactions"
    rent = make.category(org, "expense")
    saved = post_form(
        client,
        f"{base}/new",
        {
            "kind": "expense",
            "date": "2026-11-02",
            "amount": "1234.56",
            "category_id": rent,
            "description": "Office rent",
            "tags": "office, Rent",
            "currency": org.base_currency,
        },
        token_from=f"{base}/new",
    )
    assert saved.status_code == 302
    page = client.get(base).get_data(as_text=True)
    assert "Office rent" in page and "1,234.56" in page and "office" in page
    (txn_id,) = rows(page)

    edited = post_form(
        client,
        f"{base}/{txn_id}",
        {
            "kind": "expense",
            "date": "2026-11-02",
            "amount": "99",
            "category_id": rent,
            "description": "Office rent (corrected)",
        },
        token_from=f"{base}/{txn_id}",
    )
    assert edited.status_code == 302
    page = client.get(base).get_data(as_text=True)
    assert "Office rent (corrected)" in page and "99.00" in page

    deleted = post_form(client, f"{base}/{txn_id}/delete", token_from=base)
    assert deleted.status_code == 302
    assert rows(client.get(base).get_data(as_text=True)) == []
    with app.app_context():
        from app.services.platform.audit import entries
        from tenants.context import tenant_context

        with tenant_context(org.id):
            actions = [e.action for e in entries(org.id)]
    assert "transaction.deleted" in actions and "transaction.created" in actions


def test_bad_form_input_names_each_field_and_saves_nothing(owner_session, make):
    client, _owner, org = owner_session
    base = f"/o/{org.slug}/transactions"
    response = post_form(
        client,
        f"{base}/new",
        {
            "kind": "expense",
            "date": "31/12/2026",
            "amount": "-3",
            "category_id": "",
            "description": "x" * 250,
        },
        token_from=f"{base}/new",
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    for field in ("date", "amount", "category_id", "description"):
        assert f'id="{field}-error"' in html, field
    assert "greater than zero" in html and "YYYY-MM-DD" in html
    assert 'value="-3"' in html  # what the user typed is kept
    assert rows(client.get(base).get_data(as_text=True)) == []


def test_bulk_recategorise_and_delete_from_the_list(owner_session, make):
    client, owner, org = owner_session
    base = f"/o/{org.slug}/transactions"
    ids = [make.transaction(org, owner, amount=str(n), description=f"Item {n}") for n in (1, 2, 3)]
    travel = make.category(org, "expense", "Trains")
    moved = post_form(
        client,
        f"{base}/bulk",
        {"ids": ids[:2], "action": "recategorise", "category_id": travel},
        token_from=base,
    )
    assert moved.status_code == 302
    filtered = client.get(f"{base}?category={travel}").get_data(as_text=True)
    assert sorted(rows(filtered)) == sorted(ids[:2])
    post_form(client, f"{base}/bulk", {"ids": ids, "action": "delete"}, token_from=base)
    assert rows(client.get(base).get_data(as_text=True)) == []


def test_viewer_reads_but_cannot_write(client, make):
    owner, viewer = make.user(), make.user()
    org = make.org(owner)
    make.member(org, viewer, "viewer")
    txn = make.transaction(org, owner, description="Visible to viewers")
    login(client, viewer.email, PASSWORD)
    base = f"/o/{org.slug}/transactions"
    page = client.get(base)
    assert page.status_code == 200 and "Visible to viewers" in page.get_data(as_text=True)
    assert "+ Expense" not in page.get_data(as_text=True)
    assert client.get(f"{base}/new").status_code == 403
    assert post_form(client, f"{base}/{txn}/delete", token_from=base).status_code == 403
    assert rows(client.get(base).get_data(as_text=True)) == [txn]


def test_member_sees_and_edits_only_their_own(client, make):
    org, theirs, mine = member_beside_owner(client, make)
    base = f"/o/{org.slug}/transactions"
    assert rows(client.get(base).get_data(as_text=True)) == [mine]
    assert client.get(f"{base}/{theirs}").status_code == 404
    assert client.get(f"{base}/{mine}").status_code == 200


def test_categories_create_nest_rename_and_archive(owner_session, make, app):
    client, owner, org = owner_session
    base = f"/o/{org.slug}/categories"
    made = submit(client, base, {"name": "Vehicles", "kind": "expense", "color": "#123456"})
    assert made.status_code == 302
    api = Api(client, token_for(app, owner), org.slug)
    by_name = {c["name"]: c for c in api.get("/categories").get_json()["items"]}
    vehicles = by_name["Vehicles"]
    child = submit(client, base, {"name": "Fuel", "kind": "expense", "parent_id": vehicles["id"]})
    assert child.status_code == 302
    fuel = {c["name"]: c for c in api.get("/categories").get_json()["items"]}["Fuel"]
    assert fuel["parent_id"] == vehicles["id"]

    # One level only: a grandchild is refused with a reason.
    grandchild = submit(
        client, base, {"name": "Diesel", "kind": "expense", "parent_id": fuel["id"]}
    )
    assert grandchild.status_code == 422
    assert "one level" in grandchild.get_data(as_text=True)

    renamed = submit(
        client,
        f"{base}/{fuel['id']}",
        {"name": "Petrol", "color": "#abcdef", "parent_id": vehicles["id"]},
    )
    assert renamed.status_code == 302
    txn = make.transaction(org, owner, category_id=fuel["id"], amount="60")

    # In use: archived, not deleted, and the transaction keeps it.
    post_form(client, f"{base}/{fuel['id']}/remove", token_from=base)
    after = {c["name"]: c for c in api.get("/categories").get_json()["items"]}
    assert after["Petrol"]["archived"] is True
    assert api.get(f"/transactions/{txn}").get_json()["category_id"] == fuel["id"]
    # An archived category is not offered for new transactions.
    refused = api.post(
        "/transactions",
        {"kind": "expense", "date": "2026-01-01", "amount": "1", "category_id": fuel["id"]},
    )
    assert refused.status_code == 422

    # Unused: deleted outright.
    spare = make.category(org, "expense", "Spare")
    post_form(client, f"{base}/{spare}/remove", token_from=base)
    assert "Spare" not in {c["name"] for c in api.get("/categories").get_json()["items"]}


def test_parent_from_another_org_is_refused(owner_session, make):
    client, _owner, org = owner_session
    other = make.org(make.user())
    foreign = make.category(other, "expense")
    response = post_form(
        client,
        f"/o/{org.slug}/categories",
        {"name": "Sneaky", "kind": "expense", "parent_id": foreign},
        token_from=f"/o/{org.slug}/categories",
    )
    assert response.status_code == 422


def test_composite_key_refuses_another_orgs_category_in_the_database(app, make, owner_url):
    """Even past the service, PostgreSQL refuses a row pointing into another org."""
    from sqlalchemy import create_engine, pool, text
    from sqlalchemy.exc import IntegrityError

    from app.config import sqlalchemy_url

    a, b = make.org(make.user()), make.org(make.user())
    foreign = make.category(b, "expense")
    engine = create_engine(sqlalchemy_url(owner_url), poolclass=pool.NullPool)
    with engine.connect() as conn, pytest.raises(IntegrityError, match="fk_transactions_category"):
        conn.execute(
            text(
                "INSERT INTO transactions (org_id, kind, date, amount, currency, category_id, "
                "rate, rate_source, base_amount) "
                "VALUES (:a, 'expense', '2026-01-01', 1, 'EUR', :c, 1, 'base', 1)"
            ),
            {"a": a.id, "c": foreign},
        )
    engine.dispose()


def test_payment_methods_are_per_org_and_custom(owner_session, make, app):
    client, _owner, org = owner_session
    base = f"/o/{org.slug}/categories"
    post_form(client, f"/o/{org.slug}/payment-methods", {"name": "Company Amex"}, token_from=base)
    page = client.get(base).get_data(as_text=True)
    assert "Company Amex" in page and "Bank transfer" in page
    duplicate = post_form(
        client, f"/o/{org.slug}/payment-methods", {"name": "company amex"}, token_from=base
    )
    assert duplicate.status_code == 422


def test_a_category_a_recurring_rule_uses_is_archived_not_deleted(owner_session, make, app):
    from tests.support.recurring import make_rule

    client, owner, org = owner_session
    gym = make.category(org, "expense", "Gym")
    make_rule(app, org, owner, category_id=gym, start_date="2099-01-01")
    base = f"/o/{org.slug}/categories"
    response = post_form(client, f"{base}/{gym}/remove", token_from=base)
    assert response.status_code == 302
    page = client.get(base).get_data(as_text=True)
    assert 'data-category="Gym"' in page and "archived" in page
