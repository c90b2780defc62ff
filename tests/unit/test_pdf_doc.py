"""A report PDF of a period with nothing in it is still a PDF (the fuzzer found a 500)."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader

from app.services.exports.pdf_doc import ChartBlock, Document, render


def test_a_chart_with_no_bars_becomes_a_line_of_text():
    doc = Document("Acme", "Budget against actual", "December 2026", date(2026, 12, 1))
    doc.blocks.append(ChartBlock(labels=[], series={}, heading="By month"))
    doc.blocks.append(ChartBlock(labels=["Dec"], series={"Spent": []}))
    out = io.BytesIO()
    render(doc, out)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(out.getvalue())).pages)
    assert "Nothing to chart for this period." in text
