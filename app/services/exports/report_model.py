"""A report as one table, written four ways: the web page (templates/reports/), PDF, XLSX and
JSON. Each report builds a `Report`; nothing here knows which report it is."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from app import money
from app.services.exports import pdf_doc
from app.services.exports.cells import xlsx_value
from app.services.exports.report_periods import Period
from app.services.exports.table_format import minor, number_format

MONEY, COUNT, PERCENT, TEXT = "money", "count", "percent", "text"


@dataclass
class Row:
    label: str
    values: list[Any]
    depth: int = 0
    bold: bool = False


@dataclass
class Report:
    name: str
    title: str
    org_name: str
    base_currency: str
    period: Period
    generated: date
    label_header: str
    columns: list[tuple[str, str]]  # (header, MONEY | COUNT | PERCENT | TEXT)
    rows: list[Row] = field(default_factory=list)
    chart: pdf_doc.ChartBlock | None = None
    footnotes: list[str] = field(default_factory=list)

    def shown(self, value: Any, kind: str) -> str:
        """A value as the page and the PDF show it."""
        if value is None or value == "":
            return ""
        if kind == MONEY:
            return money.display(minor(value, self.base_currency), self.base_currency)
        if kind == PERCENT:
            return f"{value}%"
        return str(value)

    def row_of(self, label: str) -> Row:
        return next(r for r in self.rows if r.label == label)


def as_json(report: Report) -> dict[str, Any]:
    def value(v: Any, kind: str) -> Any:
        if isinstance(v, Decimal):
            return money.as_json(minor(v, report.base_currency)) if kind == MONEY else str(v)
        return v

    def values(row: Row) -> list[Any]:
        return [value(v, k) for v, (_, k) in zip(row.values, report.columns, strict=True)]

    return {
        "report": report.name,
        "title": report.title,
        "currency": report.base_currency,
        "period": {
            "kind": report.period.kind,
            "start": report.period.start.isoformat(),
            "end": report.period.last.isoformat(),
            "label": report.period.label,
        },
        "columns": [report.label_header, *[header for header, _ in report.columns]],
        "rows": [
            {
                "label": row.label,
                "depth": row.depth,
                "total": row.bold,
                "values": [
                    value(v, k) for v, (_, k) in zip(row.values, report.columns, strict=True)
                ],
            }
            for row in report.rows
        ],
        "footnotes": report.footnotes,
    }


def write_pdf(report: Report, out: IO[bytes]) -> None:
    kinds = [k for _, k in report.columns]
    table = pdf_doc.TableBlock(
        [report.label_header, *[header for header, _ in report.columns]],
        [
            ["\u2003" * row.depth + row.label]
            + [report.shown(v, k) for v, k in zip(row.values, kinds, strict=True)]
            for row in report.rows
        ],
        numeric={i + 1 for i, k in enumerate(kinds) if k != TEXT},
        bold_rows={i for i, row in enumerate(report.rows) if row.bold},
    )
    blocks: list[Any] = ([report.chart] if report.chart else []) + [table]
    doc = pdf_doc.Document(
        report.org_name,
        report.title,
        report.period.label,
        report.generated,
        blocks,
        report.footnotes,
    )
    pdf_doc.render(doc, out)


def write_xlsx(report: Report, out: IO[bytes]) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(report.title[:31])
    sheet.column_dimensions["A"].width = 34
    for index in range(len(report.columns)):
        sheet.column_dimensions[chr(ord("B") + index)].width = 14
    bold = Font(bold=True)
    fmt = number_format(report.base_currency)

    def cell(value: Any, kind: str = TEXT, strong: bool = False, depth: int = 0) -> Any:
        if kind == TEXT:
            value = xlsx_value(sheet, value)
            if not hasattr(value, "data_type"):  # plain text: a cell of its own, to style
                value = WriteOnlyCell(sheet, value=value)
        else:
            if kind == MONEY and value is not None and value != "":
                value = minor(value, report.base_currency)
            elif kind == PERCENT and value not in (None, ""):
                value = Decimal(value) / 100
            value = WriteOnlyCell(sheet, value=None if value == "" else value)
            value.number_format = {MONEY: fmt, PERCENT: "0.0%", COUNT: "0"}[kind]
        if strong:
            value.font = bold
        if depth:
            value.alignment = Alignment(indent=depth)
        return value

    sheet.freeze_panes = "B6"
    sheet.append([cell(report.org_name, strong=True)])
    sheet.append([cell(report.title, strong=True)])
    sheet.append([cell(report.period.label)])
    sheet.append([cell(f"Generated {report.generated.isoformat()}")])
    sheet.append(
        [cell(report.label_header, strong=True)]
        + [cell(header, strong=True) for header, _ in report.columns]
    )
    for row in report.rows:
        sheet.append(
            [cell(row.label, strong=row.bold, depth=row.depth)]
            + [
                cell(v, k, strong=row.bold)
                for v, (_, k) in zip(row.values, report.columns, strict=True)
            ]
        )
    sheet.append([])
    for note in report.footnotes:
        sheet.append([cell(note)])
    book.save(out)
