"""The Explorer's rows as shown and downloaded: amounts in their currency's minor units
(EUR 105.40, JPY 1050, KWD 1.250), CSV safe to open in a spreadsheet (the
exports' one neutraliser, `app/services/exports/cells.py`), inclusive file names."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from app import money
from app.services.exports.cells import csv_cell

COLUMNS = [
    ("date", "Date"),
    ("kind", "Kind"),
    ("description", "Description"),
    ("category", "Category"),
    ("amount", "Amount"),
    ("currency", "Currency"),
    ("base_amount", "Base amount"),
    ("status", "Status"),
    ("tags", "Tags"),
    ("recorded_by", "Recorded by"),
]


def _minor(amount: Decimal | None, currency: str) -> str:
    return "" if amount is None else f"{money.round_to_currency(amount, currency):f}"


def in_minor_units(rows: list[dict[str, Any]], base_currency: str) -> list[dict[str, Any]]:
    """The rows with `amount` in the row's currency and `base_amount` in the base currency,
    as text with exactly that currency's decimals (the database keeps four for every one)."""
    return [
        {
            **row,
            "amount": _minor(row["amount"], row["currency"]),
            "base_amount": _minor(row["base_amount"], base_currency),
        }
        for row in rows
    ]


def file_name(start: date, end: date) -> str:
    """For the period [start, end): named by its first and last day (a December export is
    outlay-2026-12-01-2026-12-31.csv, not ...-2027-01-01)."""
    last = max(start, end - timedelta(days=1))
    return f"outlay-{start.isoformat()}-{last.isoformat()}.csv"


def to_csv(rows: list[dict[str, Any]], base_currency: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([label for _, label in COLUMNS])
    for row in in_minor_units(rows, base_currency):
        writer.writerow([csv_cell(row[key]) if row[key] is not None else "" for key, _ in COLUMNS])
    return out.getvalue()
