"""The columns of a transactions export and how a value is written in each file format.

One list of columns for CSV, XLSX and PDF, so the three files of one list say the same.
Amounts are written with their currency's minor units (EUR 105.40, JPY 1050, KWD 1.250);
CSV writes them with the decimal mark the user chose, XLSX as numbers with a number format.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from babel.numbers import get_decimal_symbol

from app import money
from app.errors import Invalid

# (row key, header, type): type is date, text, amount (row currency), base, rate or id.
COLUMNS: list[tuple[str, str, str]] = [
    ("date", "Date", "date"),
    ("kind", "Kind", "text"),
    ("description", "Description", "text"),
    ("category", "Category", "text"),
    ("parent_category", "Parent category", "text"),
    ("amount", "Amount", "amount"),
    ("currency", "Currency", "text"),
    ("rate", "Rate", "rate"),
    ("base_amount", "Base amount", "base"),
    ("method", "Payment method", "text"),
    ("tags", "Tags", "text"),
    ("status", "Status", "text"),
    ("notes", "Notes", "text"),
    ("recorded_by", "Recorded by", "text"),
    ("id", "ID", "id"),
]
DELIMITERS = {"comma": ",", "semicolon": ";", ",": ",", ";": ";"}
DECIMALS = {"point": ".", "comma": ",", ".": ".", ",": ","}


@dataclass(frozen=True)
class CsvFormat:
    delimiter: str = ","
    decimal: str = "."


def csv_format(args: Mapping[str, Any], locale: str | None) -> CsvFormat:
    """The CSV's separators: as asked (`delimiter=comma|semicolon`, `decimal=point|comma`),
    else as the user's locale writes numbers (a decimal comma goes with semicolons)."""
    try:
        symbol = get_decimal_symbol(locale or "en")
    except (ValueError, TypeError, LookupError):
        symbol = "."
    default = CsvFormat(";", ",") if symbol == "," else CsvFormat()
    errors: dict[str, str] = {}
    delimiter = str(args.get("delimiter") or "").strip() or default.delimiter
    decimal = str(args.get("decimal") or "").strip() or default.decimal
    if delimiter not in DELIMITERS:
        errors["delimiter"] = "Separate cells with a comma or a semicolon."
    if decimal not in DECIMALS:
        errors["decimal"] = "Write decimals with a point or a comma."
    if errors:
        raise Invalid(errors)
    out = CsvFormat(DELIMITERS[delimiter], DECIMALS[decimal])
    if out.delimiter == out.decimal:
        raise Invalid({"delimiter": "With a decimal comma, separate cells with a semicolon."})
    return out


def minor(amount: Decimal | None, currency: str) -> Decimal | None:
    return None if amount is None else money.round_to_currency(amount, currency)


def value_of(row: Any, key: str, kind: str, base_currency: str) -> Any:
    """The typed value of one cell: a date, text, a Decimal in minor units, or an int."""
    value = getattr(row, key)
    if kind == "amount":
        return minor(value, row.currency)
    if kind == "base":
        return minor(value, base_currency)
    if kind == "rate":
        return None if value is None else Decimal(value).normalize()
    if kind == "text":
        return "" if value is None else str(value)
    return value


def csv_text(value: Any, fmt: CsvFormat) -> Any:
    if isinstance(value, Decimal):
        text = f"{value:f}"
        return text.replace(".", fmt.decimal) if fmt.decimal != "." else text
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else value


def number_format(currency: str) -> str:
    """An Excel number format with the currency's minor units: `#,##0.00 "EUR"`."""
    units = money.minor_units(currency)
    return ("#,##0." + "0" * units if units else "#,##0") + f' "{currency}"'
