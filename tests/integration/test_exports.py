"""Exporting the filtered transaction list: CSV, XLSX and PDF hold exactly the list's rows,
with totals a test sums on its own, formulas neutralised, and nothing a person may not read."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.support.api import Api, fields_of, token_for
from tests.support.factories import PASSWORD
from tests.support.web import login, post_form

INJECTION = '=1+2";=1+2'
YEAR = date.today().year


@pytest.fixture
def books(app, make):
    """Org A: incomes and expenses over two months, one of them a formula-like description,
    a member's own expense; org C: a secret. Returns what the tests need."""
    owner, member, stranger = make.user(), make.user(), make.user()
    org = make.org(owner)
    make.member(org, member, "member")
    other = make.org(stranger)
    travel = make.category(org, name="Trips abroad")
    rows = [
        ("expense", f"{YEAR}-03-02", "12.50", INJECTION, travel),
        ("expense", f"{YEAR}-03-09", "100.00", "@SUM(A1:A9)", travel),
        ("expense", f"{YEAR}-03-15", "7.25", "Coffee", None),
        ("income", f"{YEAR}-03-20", "1500.00", "Invoice 17", None),
        ("expense", f"{YEAR}-04-01", "42.00", "-April rent share", None),
    ]
    for kind, day, amount, text, category in rows:
        fields = {"kind": kind, "date": day, "amount": amount, "description": text}
        if category:
            fields["category_id"] = category
        make.transaction(org, owner, **fields)
    make.transaction(org, member, "member", date=f"{YEAR}-03-05", amount="3.00",
                     description="Member taxi")  # fmt: skip
    make.transaction(other, stranger, date=f"{YEAR}-03-05", amount="999.00",
                     description="Org C secret")  # fmt: skip
    return {"owner": owner, "member": member, "org": org, "rows": rows, "travel": travel}


def signed_in(client, user):
    assert login(client, user.email, PASSWORD).status_code == 302
    return client


def read_csv(response, delimiter=","):
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    return text, list(csv.DictReader(io.StringIO(text), delimiter=delimiter))


def march(query=""):
    return f"from={YEAR}-03-01&to={YEAR}-03-31{query}"


def test_csv_holds_the_filtered_list_with_formulas_neutralised(client, books):
    org = books["org"]
    signed_in(client, books["owner"])
    text, lines = read_csv(client.get(f"/o/{org.slug}/transactions/export?{march()}&format=csv"))
    # The list itself, with the same filters, shows the same rows.
    page = client.get(f"/o/{org.slug}/transactions?{march()}&limit=200").get_data(as_text=True)
    listed = set(re.findall(r'<tr data-id="(\d+)"', page))
    assert listed == {r["ID"] for r in lines} and len(lines) == 5
    # March: four of the owner's and the member's taxi; April and org C are left out.
    assert sorted(r["Description"] for r in lines) == sorted(
        ["'" + INJECTION, "'@SUM(A1:A9)", "Coffee", "Invoice 17", "Member taxi"]
    )
    # The example, byte for byte: quoted, quote doubled, leading apostrophe.
    assert '"\'=1+2"";=1+2"' in text
    assert "Org C secret" not in text and "April" not in text
    expenses = sum(Decimal(r["Base amount"]) for r in lines if r["Kind"] == "expense")
    assert expenses == Decimal("12.50") + Decimal("100.00") + Decimal("7.25") + Decimal("3.00")
    assert [r["Date"] for r in lines] == sorted((r["Date"] for r in lines), reverse=True)
    assert {r["Category"] for r in lines if r["Description"] == "Coffee"} != {""}


def test_csv_takes_the_users_separators(client, books):
    org = books["org"]
    signed_in(client, books["owner"])
    url = f"/o/{org.slug}/transactions/export?{march('&kind=income')}&format=csv"
    _text, lines = read_csv(client.get(url + "&delimiter=semicolon&decimal=comma"), ";")
    assert [(r["Amount"], r["Base amount"]) for r in lines] == [("1500,00", "1500,00")]
    # A German number format means semicolons and a decimal comma without asking.
    post_form(client, "/profile", {"default_org": "0", "locale": "de_DE"}, "/profile")
    text, lines = read_csv(client.get(url), ";")
    assert text.splitlines()[0].startswith("Date;Kind;") and lines[0]["Amount"] == "1500,00"
    refused = client.get(url + "&delimiter=comma&decimal=comma")
    assert refused.status_code == 302  # back to the list, with the reason flashed
    assert "semicolon" in client.get(refused.headers["Location"]).get_data(as_text=True)


def test_xlsx_has_typed_cells_frozen_header_totals_and_a_sheet_by_category(client, books):
    org = books["org"]
    signed_in(client, books["owner"])
    response = client.get(f"/o/{org.slug}/transactions/export?{march()}&format=xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    sheet = book["Transactions"]
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    col = {name: header.index(name) for name in header}
    data = [row for row in sheet.iter_rows(min_row=2) if isinstance(row[0].value, datetime)]
    assert len(data) == 5
    for row in data:
        assert row[col["Date"]].is_date
        assert row[col["Amount"]].data_type == "n" and row[col["Base amount"]].data_type == "n"
        assert '"EUR"' in row[col["Amount"]].number_format
    injected = next(r for r in data if r[col["Description"]].value == INJECTION)
    assert injected[col["Description"]].data_type == "s"  # a text cell, never a formula
    assert injected[col["Description"]].quotePrefix
    labels = {r[col["Description"]].value: r[col["Base amount"]].value for r in sheet.iter_rows()}
    assert Decimal(str(labels["Total expenses"])) == Decimal("122.75")
    assert Decimal(str(labels["Net"])) == Decimal("1377.25")
    by_category = book["By category"]
    totals = {r[2].value: Decimal(str(r[4].value)) for r in by_category.iter_rows(min_row=2)}
    assert totals["Trips abroad"] == Decimal("112.50")
    assert sum(v for k, v in totals.items()) == Decimal("122.75") + Decimal("1500.00")


def test_pdf_carries_the_rows_and_the_totals(client, books):
    org = books["org"]
    signed_in(client, books["owner"])
    response = client.get(f"/o/{org.slug}/transactions/export?{march()}&format=pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert org.name in text and "Page 1" in text and "Generated" in text
    assert "Total expenses" in text and "€122.75" in text and "€1,377.25" in text
    assert "Coffee" in text and "Org C secret" not in text


def test_a_member_exports_only_their_own_items(client, books):
    org = books["org"]
    signed_in(client, books["member"])
    _text, lines = read_csv(client.get(f"/o/{org.slug}/transactions/export?format=csv"))
    assert [r["Description"] for r in lines] == ["Member taxi"]
    response = client.get(f"/o/{org.slug}/transactions/export?format=xlsx")
    rows = list(
        load_workbook(io.BytesIO(response.data))["Transactions"].iter_rows(values_only=True)
    )
    assert [r[2] for r in rows if isinstance(r[0], datetime)] == ["Member taxi"]


def test_the_list_offers_the_export_with_its_filters(client, books):
    org = books["org"]
    signed_in(client, books["owner"])
    page = client.get(f"/o/{org.slug}/transactions?kind=expense").get_data(as_text=True)
    assert f"/o/{org.slug}/transactions/export?kind=expense&amp;format=xlsx" in page


def test_the_api_export_matches_the_api_list(app, client, books):
    org = books["org"]
    api = Api(client, token_for(app, books["owner"]), org.slug)
    listed = api.get(f"/transactions?{march('&kind=expense')}&limit=200").get_json()["items"]
    response = api.get(f"/transactions/export?{march('&kind=expense')}&format=csv")
    _text, lines = read_csv(response)
    assert sorted(int(r["ID"]) for r in lines) == sorted(t["id"] for t in listed)
    assert sum(Decimal(r["Base amount"]) for r in lines) == sum(
        Decimal(t["base_amount"]) for t in listed
    )
    xlsx = api.get(f"/transactions/export?{march()}&format=xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    bad = api.get("/transactions/export?format=docx&kind=gift")
    assert bad.status_code == 422
    assert set(fields_of(bad)) == {"format", "kind"}
    member = Api(client, token_for(app, books["member"]), org.slug)
    _text, lines = read_csv(member.get("/transactions/export?format=csv"))
    assert [r["Description"] for r in lines] == ["Member taxi"]


def test_december_is_named_by_its_last_day_and_amounts_keep_minor_units(client, make):
    """11.17 on the web exports: a December file ends in -12-31 (not the next -01-01) and the
    CSV's amounts have each currency's minor units (105.40, JPY 1050), not four decimals."""
    owner = make.user()
    org = make.org(owner)
    make.transaction(org, owner, date=f"{YEAR}-12-03", amount="105.4", description="Paper")
    make.transaction(org, owner, date=f"{YEAR}-12-04", amount="1050", currency="JPY",
                     rate="0.0063", description="Tea")  # fmt: skip
    signed_in(client, owner)
    december = f"from={YEAR}-12-01&to={YEAR}-12-31"
    response = client.get(f"/o/{org.slug}/transactions/export?{december}&format=csv")
    _text, lines = read_csv(response)
    disposition = response.headers["Content-Disposition"]
    assert f"-{YEAR}-12-01-{YEAR}-12-31.csv" in disposition, disposition
    assert {r["Description"]: (r["Amount"], r["Base amount"]) for r in lines} == {
        "Paper": ("105.40", "105.40"),
        "Tea": ("1050", "6.62"),
    }
    report = client.get(
        f"/o/{org.slug}/reports/profit-and-loss?period=month&on={YEAR}-12-15&format=xlsx"
    )
    assert report.status_code == 200
    disposition = report.headers["Content-Disposition"]
    assert f"-{YEAR}-12-01-{YEAR}-12-31.xlsx" in disposition, disposition
