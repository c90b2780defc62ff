"""The new-transaction form's details (categories of the chosen kind, "save and add another",
the explicit bulk target, the rate beside the base amount) and the read-only transaction page."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.support.factories import PASSWORD
from tests.support.web import login, member_beside_owner, post_form, submit


def category_select(page: str) -> str:
    match = re.search(r'<select[^>]*id="category_id".*?</select>', page, re.S)
    assert match, "no Category select"
    return match.group(0)


def new_form(org) -> str:
    return f"/o/{org.slug}/transactions/new"


@pytest.fixture
def books(owner_session, make):
    client, owner, org = owner_session
    return (
        client,
        owner,
        org,
        make.category(org, "expense", "Van fuel"),
        make.category(org, "income", "Consulting fees"),
    )


@pytest.mark.parametrize(("kind", "shown", "hidden"), [
    ("income", "Consulting fees", "Van fuel"),
    ("expense", "Van fuel", "Consulting fees"),
])  # fmt: skip
def test_the_category_list_offers_only_the_chosen_kind(books, kind, shown, hidden):
    client, _owner, org, _fuel, _fees = books
    page = client.get(f"/o/{org.slug}/transactions/new?kind={kind}").get_data(as_text=True)
    options = category_select(page)
    assert shown in options and hidden not in options


def test_a_category_of_the_other_kind_is_refused_naming_the_field(books):
    client, _owner, org, fuel, _fees = books
    response = submit(
        client, new_form(org), {"kind": "income", "date": "2026-11-03", "amount": "100",
                                "category_id": fuel},
    )  # fmt: skip
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Category: Van fuel is an expense category" in page
    assert "Van fuel" not in category_select(page)  # the list now shows income categories


def test_save_and_add_another_keeps_the_date_and_category(books):
    client, _owner, org, fuel, _fees = books
    saved = submit(
        client, new_form(org), {"kind": "expense", "date": "2026-10-07", "amount": "45",
                                "category_id": fuel, "submit": "again"},
    )  # fmt: skip
    assert saved.status_code == 302
    carried = parse_qs(urlsplit(saved.headers["Location"]).query)
    assert carried["date"] == ["2026-10-07"] and carried["category_id"] == [str(fuel)]
    page = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert re.search(r'id="date" name="date" value="2026-10-07"', page)
    assert f'<option value="{fuel}" selected>Van fuel</option>' in category_select(page)
    assert 'id="amount" name="amount" value=""' in page  # the amount starts empty


def test_bulk_move_needs_an_explicit_target(books, make):
    client, owner, org, fuel, _fees = books
    base = f"/o/{org.slug}/transactions"
    txn = make.transaction(org, owner, description="Diesel")
    page = client.get(base).get_data(as_text=True)
    target = re.search(r'<select[^>]*id="bulk-category".*?</select>', page, re.S).group(0)
    assert re.search(r'<option value="" selected>Move to category…</option>', target)
    refused = post_form(
        client, f"{base}/bulk", {"ids": [txn], "action": "recategorise", "category_id": ""},
        token_from=base, follow_redirects=True,
    )  # fmt: skip
    assert "Move selected to category: Choose a category." in refused.get_data(as_text=True)
    moved = client.get(f"{base}?category={fuel}").get_data(as_text=True)
    assert str(txn) not in re.findall(r'<tr data-id="(\d+)"', moved)


def test_the_rate_and_its_date_show_beside_the_base_amount(books, make):
    client, owner, org, fuel, _fees = books
    base = f"/o/{org.slug}/transactions"
    theirs = make.transaction(
        org, owner, amount="100", currency="USD", rate="0.9", category_id=fuel, date="2026-11-02"
    )
    ecb = make.transaction(
        org, owner, amount="200", currency="USD", category_id=fuel, date="2024-03-01"
    )
    page = client.get(base).get_data(as_text=True)
    conversions = re.findall(r'data-testid="conversion">(.*?)</div>', page, re.S)
    text = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", c)).strip() for c in conversions]
    assert any("€90.00" in t and "@ 0.9 " in t and "your rate" in t for t in text), text
    assert any("ECB 2024-0" in t and "@ 0." in t for t in text), text

    edit = client.get(f"{base}/{ecb}").get_data(as_text=True)
    shown = re.search(r'id="rate" name="rate" value="([0-9.]+)"', edit)
    assert shown, "the edit form's rate field is empty"
    assert "ECB rate of 2024-0" in edit
    assert re.search(r'id="rate" name="rate" value="0.9"', client.get(f"{base}/{theirs}").text)

    # Saving the form as shown keeps the ECB rate an ECB rate (not the user's override).
    resaved = submit(
        client, f"{base}/{ecb}",
        {"kind": "expense", "date": "2024-03-01", "amount": "200", "currency": "USD",
         "category_id": fuel, "rate": shown.group(1)},
    )  # fmt: skip
    assert resaved.status_code == 302
    assert "ECB rate of 2024-0" in client.get(f"{base}/{ecb}").get_data(as_text=True)


def test_a_viewer_reads_one_transaction_on_its_own_page(client, make):
    owner, viewer = make.user(), make.user()
    org = make.org(owner, "Read Only Ltd")
    make.member(org, viewer, "viewer")
    txn = make.transaction(
        org, owner, amount="50", currency="USD", rate="0.8", description="Conference ticket",
        notes="Paid by card", tags="travel", date="2026-11-04",
    )  # fmt: skip
    login(client, viewer.email, PASSWORD)
    base = f"/o/{org.slug}/transactions"
    listing = client.get(base).get_data(as_text=True)
    assert f'href="{base}/{txn}/view"' in listing
    assert client.get(f"{base}/{txn}").status_code == 403  # the edit page stays closed
    page = client.get(f"{base}/{txn}/view")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    for shown in ("Conference ticket", "Paid by card", "travel", "2026-11-04", "$50.00",
                  "€40.00", "0.8 EUR per USD", "your rate", "created by"):  # fmt: skip
        assert shown in text, shown
    assert ">Edit</a>" not in text


def test_a_member_reads_only_their_own(client, make):
    org, theirs, mine = member_beside_owner(client, make)
    base = f"/o/{org.slug}/transactions"
    assert client.get(f"{base}/{theirs}/view").status_code == 404
    mine_page = client.get(f"{base}/{mine}/view")
    assert mine_page.status_code == 200 and "My taxi" in mine_page.get_data(as_text=True)


def test_each_listed_row_links_to_the_routes_of_its_page_and_its_form(app, client, make):
    # The list writes its rows' links from one base path; they must stay the routes' own.
    from flask import url_for

    owner = make.user()
    org = make.org(owner, "Linked Rows Ltd")
    txn = make.transaction(org, owner, amount="12", description="Stamps")
    login(client, owner.email, PASSWORD)
    listing = client.get(f"/o/{org.slug}/transactions").get_data(as_text=True)
    with app.test_request_context():
        show = url_for("transactions.show", slug=org.slug, transaction_id=txn)
        edit = url_for("transactions.edit", slug=org.slug, transaction_id=txn)
    assert f'href="{show}" data-testid="open"' in listing
    assert f'href="{edit}">Edit</a>' in listing


def test_edit_forms_show_amounts_in_the_currencys_minor_units(books, make, app):
    """11.17 on the edit forms: 12.50 (not 12.5), JPY 1050, a budget's 400.00."""
    from tests.support.api import Api, token_for

    client, owner, org, fuel, _fees = books
    euro = make.transaction(org, owner, amount="12.5", category_id=fuel)
    yen = make.transaction(org, owner, amount="1050", currency="JPY", rate="0.0063",
                           category_id=fuel)  # fmt: skip
    base = f"/o/{org.slug}/transactions"
    assert 'id="amount" name="amount" value="12.50"' in client.get(f"{base}/{euro}").text
    assert 'id="amount" name="amount" value="1050"' in client.get(f"{base}/{yen}").text
    api = Api(client, token_for(app, owner), org.slug)
    budget = api.post("/budgets", {"category_id": fuel, "amount": "400", "period": "monthly"})
    edit = client.get(f"/o/{org.slug}/budgets/{budget.get_json()['id']}").text
    assert 'name="amount" value="400.00"' in edit


def test_amounts_show_their_direction_wherever_a_transaction_is_listed(client, make):
    """An expense reads with a minus sign in red, income with "+" in green: on the list, the
    dashboard's recent entries and the transaction's own page, in the org's currency format."""
    owner = make.user()
    org = make.org(owner, "Signed Amounts Ltd")
    spent = make.transaction(org, owner, amount="1234.5", description="Paint <b>")
    earned = make.transaction(org, owner, kind="income", amount="99", description="Fee")
    login(client, owner.email, PASSWORD)
    expense = '<span class="amount text-nowrap text-danger">\u2212€1,234.50</span>'
    income = '<span class="amount text-nowrap text-success">+€99.00</span>'
    base = f"/o/{org.slug}"
    for path in (f"{base}/transactions", f"{base}/"):
        page = client.get(path).get_data(as_text=True)
        assert expense in page and income in page, path
        assert "Paint &lt;b&gt;" in page and "Paint <b>" not in page, path
    assert expense in client.get(f"{base}/transactions/{spent}/view").get_data(as_text=True)
    assert income in client.get(f"{base}/transactions/{earned}/view").get_data(as_text=True)


def test_rows_name_their_category_and_method_even_when_archived(client, make, owner_engine):
    """The list names each row's category (with its colour) and payment method from the
    page's lookups: archived ones too, though the pickers no longer offer them."""
    from sqlalchemy import text

    owner = make.user()
    org = make.org(owner, "Archived Names Ltd")
    category = make.category(org, "expense", "Old van <fuel>")
    with owner_engine.begin() as conn:
        method = conn.execute(
            text(
                "INSERT INTO payment_methods (org_id, name) VALUES (:o, 'Retired card')"
                " RETURNING id"
            ),
            {"o": org.id},
        ).scalar_one()
    make.transaction(
        org, owner, category_id=category, payment_method_id=method, description="Diesel"
    )
    with owner_engine.begin() as conn:
        conn.execute(
            text("UPDATE categories SET archived_at = now(), color = '#123456' WHERE id = :c"),
            {"c": category},
        )
        conn.execute(
            text("UPDATE payment_methods SET archived_at = now() WHERE id = :m"), {"m": method}
        )
    login(client, owner.email, PASSWORD)
    page = client.get(f"/o/{org.slug}/transactions").get_data(as_text=True)
    row = re.search(r'<tr data-id="\d+">.*?</tr>', page, re.S).group(0)
    assert "Diesel" in row and "Old van &lt;fuel&gt;" in row and "background: #123456" in row
    assert row.count("Retired card") == 2  # the phone's line under the description, the column
    picker = re.search(r'<select[^>]*id="method".*?</select>', page, re.S).group(0)
    assert "Retired card" not in picker and "Old van" not in category_select_of(page)


def category_select_of(page: str) -> str:
    return re.search(r'<select[^>]*id="category".*?</select>', page, re.S).group(0)
