"""The Explorer's CSV never hands a spreadsheet a formula to run."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from streamlit_portal.export import file_name, to_csv


def test_cells_that_would_run_as_formulas_get_a_leading_quote():
    row = {
        "date": date(2026, 11, 1),
        "kind": "expense",
        "description": '=HYPERLINK("http://evil.example","x")',
        "category": "+Travel",
        "amount": Decimal("12.5000"),
        "currency": "EUR",
        "base_amount": Decimal("12.5000"),
        "status": "posted",
        "tags": "@home, -x",
        "recorded_by": "\tme@example.com",
    }
    header, line = list(csv.reader(io.StringIO(to_csv([row], "EUR"))))
    cells = dict(zip(header, line, strict=True))
    assert cells["Description"] == "'" + row["description"]
    assert cells["Category"] == "'+Travel"
    assert cells["Tags"] == "'@home, -x"
    assert cells["Recorded by"] == "'\tme@example.com"
    assert cells["Amount"] == "12.50" and cells["Date"] == "2026-11-01"


def test_amounts_have_their_currencys_minor_units():
    base = {"date": date(2026, 12, 1), "kind": "expense", "description": "", "category": "",
            "status": "posted", "tags": "", "recorded_by": ""}  # fmt: skip
    rows = [
        {**base, "amount": Decimal("105.4000"), "currency": "EUR", "base_amount": Decimal("105.4")},
        {
            **base,
            "amount": Decimal("1050.0000"),
            "currency": "JPY",
            "base_amount": Decimal("6.615"),
        },
        {**base, "amount": Decimal("1.2500"), "currency": "KWD", "base_amount": Decimal("5")},
    ]
    lines = list(csv.DictReader(io.StringIO(to_csv(rows, "EUR"))))
    assert [(r["Amount"], r["Base amount"]) for r in lines] == [
        ("105.40", "105.40"),
        ("1050", "6.62"),
        ("1.250", "5.00"),
    ]


def test_export_names_carry_the_last_day_of_the_period():
    assert file_name(date(2026, 12, 1), date(2027, 1, 1)) == "outlay-2026-12-01-2026-12-31.csv"
    assert file_name(date(2026, 3, 5), date(2026, 3, 6)) == "outlay-2026-03-05-2026-03-05.csv"
