"""Spreadsheet formula injection, neutralised in one place for every export.

A cell whose text starts with `=`, `+`, `-`, `@`, a tab or a carriage return is run as a
formula by Excel, LibreOffice and Google Sheets when the file is opened (`=HYPERLINK(...)`,
`=cmd|...`). CSV has no cell types, so such text gets a leading apostrophe, which spreadsheets
read as "this is text" (`=1+2";=1+2` is written `"'=1+2"";=1+2"`). XLSX has types: the text
stays as typed, in a string cell marked with Excel's own quote prefix (`xlsx_text`).
Used by the web and API exports, the jobs, the archive and the portal's Explorer.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_cell(value: Any) -> Any:
    """The value for a CSV cell: text that would run as a formula gets a leading quote."""
    if looks_like_formula(value):
        return "'" + value
    return value


def xlsx_text(sheet: Any, value: str) -> Any:
    """A write-only openpyxl string cell holding `value` as typed; never a formula."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet)
    # Assigning `.value` would turn text starting with "=" into a formula (openpyxl's own
    # inference); the typed value is set directly, as a string.
    cell._value = value
    cell.data_type = "s"
    if looks_like_formula(value):
        cell.quotePrefix = True
    return cell


def xlsx_value(sheet: Any, value: Any) -> Any:
    """What to append for a value in a write-only sheet: formula-like text as `xlsx_text`,
    anything else as it is (openpyxl keeps other text as text)."""
    return xlsx_text(sheet, value) if looks_like_formula(value) else value
