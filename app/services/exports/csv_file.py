"""The filtered list as CSV, written as a stream of text chunks: constant memory.

UTF-8, a header row, then one row per transaction in the list's order; every text cell goes
through the one formula neutraliser (`cells.csv_cell`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from app.services.exports.cells import csv_cell
from app.services.exports.table_format import COLUMNS, CsvFormat, csv_text, value_of

CHUNK_ROWS = 500


def chunks(rows: Iterable[Any], base_currency: str, fmt: CsvFormat) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=fmt.delimiter, lineterminator="\r\n")
    writer.writerow([label for _, label, _ in COLUMNS])
    pending = 1
    for row in rows:
        writer.writerow(
            [
                csv_cell(csv_text(value_of(row, key, kind, base_currency), fmt))
                for key, _, kind in COLUMNS
            ]
        )
        pending += 1
        if pending >= CHUNK_ROWS:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    if pending or buffer.tell():
        yield buffer.getvalue()
