"""Formula injection is neutralised by one implementation, shared by every export."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from app.services.exports import cells

ROOT = Path(__file__).resolve().parents[2]


def test_text_a_spreadsheet_would_run_gets_a_leading_quote_in_csv():
    out = io.StringIO()
    csv.writer(out).writerow([cells.csv_cell('=1+2";=1+2'), cells.csv_cell("Coffee")])
    assert out.getvalue() == '"\'=1+2"";=1+2",Coffee\r\n'
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert cells.csv_cell(start + "x") == "'" + start + "x"
    assert cells.csv_cell(12) == 12 and cells.csv_cell("a=b") == "a=b"


def test_the_explorer_and_the_exports_share_it():
    from app.services.exports import csv_file
    from streamlit_portal import export

    assert export.csv_cell is cells.csv_cell is csv_file.csv_cell
    # No second copy of the rule anywhere in the code.
    copies = [
        str(p.relative_to(ROOT))
        for package in ("app", "streamlit_portal", "workers")
        for p in (ROOT / package).rglob("*.py")
        if re.search(r"""startswith\(\(\s*["']=["']""", p.read_text())
    ]
    assert copies == []
