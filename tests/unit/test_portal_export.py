"""The Explorer's CSV never hands a spreadsheet a formula to run."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from streamlit_portal.export import to_csv


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
    header, line = list(csv.reader(io.StringIO(to_csv([row]))))
    cells = dict(zip(header, line, strict=True))
    assert cells["Description"] == "'" + row["description"]
    assert cells["Category"] == "'+Travel"
    assert cells["Tags"] == "'@home, -x"
    assert cells["Recorded by"] == "'\tme@example.com"
    assert cells["Amount"] == "12.5000" and cells["Date"] == "2026-11-01"
