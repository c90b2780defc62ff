"""The Explorer's CSV: safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from typing import Any

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


def safe(value: Any) -> Any:
    """Text a spreadsheet would run as a formula (= + - @, tab, CR) gets a leading quote."""
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@", "\t", "\r")):
        return "'" + value
    return value


def to_csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([label for _, label in COLUMNS])
    for row in rows:
        writer.writerow([safe(row[key]) if row[key] is not None else "" for key, _ in COLUMNS])
    return out.getvalue()
