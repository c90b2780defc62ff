"""The filtered list as XLSX: openpyxl's write-only mode (rows go straight to the file).

Sheet "Transactions": a frozen, bold header; dates as dates, amounts as numbers with their
currency's format; totals rows (income, expenses, net) under the data. Sheet "By category":
the same rows summed per category. Text that would run as a formula is a text cell
(`cells.xlsx_value`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from app.queries.export_rows import Summary
from app.services.exports.cells import xlsx_value
from app.services.exports.table_format import COLUMNS, minor, number_format, value_of

BOLD = Font(bold=True)
DATE_FORMAT = "yyyy-mm-dd"
WIDTHS = {"date": 11, "text": 18, "amount": 14, "base": 14, "rate": 10, "id": 9}


def _cell(sheet: Any, value: Any, fmt: str | None = None, bold: bool = False) -> Any:
    cell = WriteOnlyCell(sheet, value=value)
    if fmt:
        cell.number_format = fmt
    if bold:
        cell.font = BOLD
    return cell


def _header(sheet: Any, labels: list[str]) -> None:
    sheet.freeze_panes = "A2"
    sheet.append([_cell(sheet, label, bold=True) for label in labels])


def write(
    out: IO[bytes],
    rows: Iterable[Any],
    summary: Summary,
    categories: list[Any],
    base_currency: str,
) -> int:
    """Write the workbook to `out`; returns the number of transaction rows written."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Transactions")
    for index, (_, _, kind) in enumerate(COLUMNS):
        sheet.column_dimensions[chr(ord("A") + index)].width = WIDTHS[kind]
    _header(sheet, [label for _, label, _ in COLUMNS])
    base_format = number_format(base_currency)
    formats: dict[str, str] = {}
    written = 0
    for row in rows:
        line = []
        for key, _, kind in COLUMNS:
            value = value_of(row, key, kind, base_currency)
            if kind == "date":
                line.append(_cell(sheet, value, DATE_FORMAT))
            elif kind == "amount":
                fmt = formats.get(row.currency) or formats.setdefault(
                    row.currency, number_format(row.currency)
                )
                line.append(_cell(sheet, value, fmt))
            elif kind == "base":
                line.append(_cell(sheet, value, base_format))
            else:
                line.append(xlsx_value(sheet, value))
        sheet.append(line)
        written += 1
    _totals(sheet, summary, base_currency, base_format)
    _by_category(book, categories, base_currency, base_format)
    book.save(out)
    return written


def _totals(sheet: Any, summary: Summary, base_currency: str, base_format: str) -> None:
    """Under the data, in the Description and Base amount columns (sums of the stored
    amounts, rounded once)."""
    label_at = [key for key, _, _ in COLUMNS].index("description")
    value_at = [key for key, _, _ in COLUMNS].index("base_amount")
    sheet.append([])
    for label, amount in (
        (f"Total income ({summary.rows} rows)", summary.income),
        ("Total expenses", summary.expense),
        ("Net", summary.net),
    ):
        line: list[Any] = [None] * len(COLUMNS)
        line[label_at] = _cell(sheet, label, bold=True)
        line[value_at] = _cell(sheet, minor(amount, base_currency), base_format, bold=True)
        sheet.append(line)


def _by_category(book: Any, categories: list[Any], base_currency: str, base_format: str) -> None:
    sheet = book.create_sheet("By category")
    for letter, width in zip("ABCDE", (10, 22, 22, 8, 16), strict=True):
        sheet.column_dimensions[letter].width = width
    _header(sheet, ["Kind", "Parent category", "Category", "Count", "Total"])
    for row in categories:
        sheet.append(
            [
                row.kind,
                xlsx_value(sheet, row.parent_category or ""),
                xlsx_value(sheet, row.category),
                row.count,
                _cell(sheet, minor(row.total, base_currency), base_format),
            ]
        )
