"""Reports: profit and loss, budget against actual and spending by member equal sums a test
computes on its own; pending and rejected entries are left out and counted in a footnote; the
financial year (starting in April) moves the reports, the "this year" preset and annual
budgets."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import text

from app import clock
from tests.support.api import Api, token_for
from tests.support.factories import seat_of
from tests.support.web import login, post_form

Y = 2026  # the clock is frozen in this year's June


@pytest.fixture(autouse=True)
def june():
    with clock.frozen(datetime(Y, 6, 15, 12, tzinfo=UTC)):
        yield


def child_category(app, org, parent_id: int, name: str) -> int:
    from app.services.ledger import categories
    from tenants.context import tenant_context

    with app.app_context(), tenant_context(org.id):
        data = {"name": name, "kind": "expense", "parent_id": parent_id}
        return categories.create_category(seat_of(org, None), data).id


@pytest.fixture
def ledger(app, make):
    owner, member = make.user(name="Olive Owner"), make.user(name="Mo Member")
    org = make.org(owner)
    make.member(org, member, "member")
    office = make.category(org, name="Office things")
    chairs = child_category(app, org, office, "Chairs")
    sales = make.category(org, "income", name="Sales here")
    entries = [  # (who, kind, day, amount, category)
        (owner, "expense", f"{Y}-03-03", "40.00", office),
        (owner, "expense", f"{Y}-03-10", "260.00", chairs),
        (member, "expense", f"{Y}-03-12", "15.50", office),
        (owner, "income", f"{Y}-03-20", "1000.00", sales),
        (owner, "expense", f"{Y}-02-14", "80.00", chairs),  # the previous month
        (owner, "income", f"{Y}-02-20", "300.00", sales),
        (owner, "expense", f"{Y}-04-02", "33.00", office),  # a later month
        (owner, "expense", f"{Y - 1}-05-05", "11.00", office),  # last financial year (April)
        (owner, "expense", f"{Y + 1}-01-09", "22.00", office),  # this financial year (April)
    ]
    for who, kind, day, amount, category in entries:
        make.transaction(org, who, "owner" if who is owner else "member", kind=kind, date=day,
                         amount=amount, category_id=category)  # fmt: skip
    make.approve_all(org, owner)  # the member's expenses count once approved
    return {"owner": owner, "member": member, "org": org, "office": office, "entries": entries}


def pending(owner_engine, org, description_amount: str) -> None:
    """Mark one transaction pending, as the approvals flow will."""
    with owner_engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE transactions SET approval_state = 'submitted' WHERE org_id = :o AND id = ("
                "SELECT id FROM transactions WHERE org_id = :o AND amount = :a LIMIT 1)"
            ),
            {"o": org.id, "a": Decimal(description_amount)},
        )


def values(report: dict, label: str) -> list[str | None]:
    return next(r["values"] for r in report["rows"] if r["label"] == label)


def test_profit_and_loss_equals_independent_sums_with_the_previous_period(
    app, client, ledger, owner_engine
):
    org = ledger["org"]
    pending(owner_engine, org, "15.50")  # the member's expense waits for approval
    api = Api(client, token_for(app, ledger["owner"]), org.slug)
    report = api.get(f"/reports/profit-and-loss?period=month&on={Y}-03-01").get_json()
    assert report["period"] == {"kind": "month", "start": f"{Y}-03-01", "end": f"{Y}-03-31",
                                "label": f"March {Y}"}  # fmt: skip
    march = [e for e in ledger["entries"] if e[2].startswith(f"{Y}-03") and e[3] != "15.50"]
    expenses = sum(Decimal(e[3]) for e in march if e[1] == "expense")
    income = sum(Decimal(e[3]) for e in march if e[1] == "income")
    # Columns: March, Total, Previous (February).
    assert values(report, "Total expenses") == [f"{expenses:.4f}", f"{expenses:.4f}", "80.0000"]
    assert values(report, "Total income") == [f"{income:.4f}", f"{income:.4f}", "300.0000"]
    assert values(report, "Net")[1] == f"{income - expenses:.4f}"
    # The category tree: the parent's subtotal, its own entries and its child beside it.
    assert values(report, "Office things")[1] == "300.0000"
    assert values(report, "Chairs") == ["260.0000", "260.0000", "80.0000"]
    assert values(report, "Office things (other)")[1] == "40.0000"
    assert "1 pending or rejected transaction" in report["footnotes"][0]

    pdf = api.get(f"/reports/profit-and-loss?period=month&on={Y}-03-01&format=pdf")
    assert pdf.status_code == 200
    words = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert org.name in words and "Page 1" in words and f"March {Y}" in words
    assert "€300.00" in words and "€700.00" in words and "Not counted" in words
    xlsx = api.get(f"/reports/profit-and-loss?period=month&on={Y}-03-01&format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    cells = {row[0].value: row for row in sheet.iter_rows()}
    assert cells["Net"][2].data_type == "n" and Decimal(str(cells["Net"][2].value)) == 700
    assert sheet.freeze_panes == "B6"


def test_the_report_page_shows_the_same_figures(app, client, ledger):
    org = ledger["org"]
    login(client, ledger["owner"].email, "correct-horse-battery")
    page = client.get(f"/o/{org.slug}/reports/profit-and-loss?period=month&on={Y}-03-05")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and f"March {Y}" in html
    assert 'data-row="Net"' in html and "€684.50" in html  # 1000 - 315.50
    assert client.get(f"/o/{org.slug}/reports/nonsense").status_code == 404
    bad = client.get(f"/o/{org.slug}/reports/profit-and-loss?period=week")
    assert bad.status_code == 302


def test_an_april_financial_year_moves_reports_presets_and_annual_budgets(app, client, ledger):
    org, owner = ledger["org"], ledger["owner"]
    login(client, owner.email, "correct-horse-battery")
    saved = post_form(
        client,
        f"/o/{org.slug}/settings",
        {"name": org.name, "base_currency": "EUR", "time_zone": "UTC", "fiscal_year_start": "4"},
        f"/o/{org.slug}/settings",
    )
    assert saved.status_code == 302, saved.get_data(as_text=True)[:500]
    api = Api(client, token_for(app, owner), org.slug)
    report = api.get("/reports/profit-and-loss?period=year").get_json()
    assert report["period"]["start"] == f"{Y}-04-01" and report["period"]["end"] == f"{Y + 1}-03-31"
    assert report["period"]["label"] == f"FY {Y}/{(Y + 1) % 100}"
    # April 2026 to March 2027: the April and January expenses, not March's or last May's.
    assert values(report, "Total expenses")[-2] == "55.0000"
    # FY 2025/26 beside it: last May's, February's and March's expenses.
    assert values(report, "Total expenses")[-1] == "406.5000"
    listed = api.get("/transactions?preset=this-year&limit=200").get_json()["items"]
    assert {t["date"] for t in listed} == {f"{Y}-04-02", f"{Y + 1}-01-09"}
    quarter = api.get("/transactions?preset=this-quarter&limit=200").get_json()["items"]
    assert {t["date"] for t in quarter} == {f"{Y}-04-02"}  # Q1 is April to June
    created = api.post("/budgets", json={"amount": "500", "period": "annual"})
    assert created.status_code == 201, created.get_json()
    report = api.get("/reports/budget-vs-actual?period=year").get_json()
    row = next(r for r in report["rows"] if r["depth"] == 0 and not r["total"])
    assert row["values"][0] == f"FY {Y}/{(Y + 1) % 100}"
    assert row["values"][4] == "55.0000"  # spent from April 1
    assert (
        client.get(f"/o/{org.slug}/settings")
        .get_data(as_text=True)
        .count('<option value="4" selected>April</option>')
        == 1
    )


def test_budget_against_actual_and_spending_by_member(app, client, ledger):
    org, owner, member = ledger["org"], ledger["owner"], ledger["member"]
    api = Api(client, token_for(app, owner), org.slug)
    created = api.post(
        "/budgets",
        json={"amount": "350", "period": "monthly", "category_id": ledger["office"]},
    )
    assert created.status_code == 201, created.get_json()
    report = api.get(f"/reports/budget-vs-actual?period=quarter&on={Y}-02-01").get_json()
    name = created.get_json()["name"]
    months = [r for r in report["rows"] if r["depth"] == 1]
    # Office things and its child Chairs: Jan 0, Feb 80, Mar 40 + 260 + 15.50.
    assert [r["values"][4] for r in months] == ["0.0000", "80.0000", "315.5000"]
    assert values(report, name)[4] == "395.5000" and values(report, "All budgets")[1] == "1050.0000"
    by_member = api.get(f"/reports/spending-by-member?period=month&on={Y}-03-01").get_json()
    assert values(by_member, "Olive Owner") == ["300.0000", 2, "300.0000"]
    assert values(by_member, "Mo Member") == ["15.5000", 1, "15.5000"]
    assert values(by_member, "Total")[-1] == "315.5000"
    own = Api(client, token_for(app, member), org.slug)
    mine = own.get(f"/reports/spending-by-member?period=month&on={Y}-03-01").get_json()
    assert [r["label"] for r in mine["rows"]] == ["Mo Member", "Total"]
    pnl = own.get(f"/reports/profit-and-loss?period=month&on={Y}-03-01").get_json()
    assert values(pnl, "Total expenses")[1] == "15.5000"
