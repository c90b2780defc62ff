"""The words and ranges demo ledgers are made of (see app/demo/rows.py), kept as data in
vocabulary.json: per category the range of an amount in cents, its weight among an org's rows,
its descriptions and the payment methods it is paid with; the season (relative activity per
calendar month, percent), tags, and the parts of demo org and owner names."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

# category -> (min cents, max cents, descriptions, preferred payment methods)
Ranges = dict[str, tuple[int, int, tuple[str, ...], tuple[str, ...]]]

_DATA: dict[str, Any] = json.loads(
    (Path(__file__).with_name("vocabulary.json")).read_text(encoding="utf-8")
)


def _ranges(kind: str) -> Ranges:
    return {
        name: (*c["cents"], tuple(c["descriptions"]), tuple(c["methods"]))
        for name, c in _DATA[kind].items()
    }


def _weights(kind: str) -> dict[str, int]:
    return {name: c["weight"] for name, c in _DATA[kind].items()}


SEASON: tuple[int, ...] = tuple(_DATA["season"])
TAGS: tuple[str, ...] = tuple(_DATA["tags"])
EXPENSES, INCOMES = _ranges("expenses"), _ranges("incomes")
EXPENSE_WEIGHTS, INCOME_WEIGHTS = _weights("expenses"), _weights("incomes")
INCOME_SHARE: int = _DATA["income_share"]  # percent of the non-recurring rows
ORG_ADJECTIVES, ORG_TRADES = tuple(_DATA["org_adjectives"]), tuple(_DATA["org_trades"])
FIRST_NAMES, LAST_NAMES = tuple(_DATA["first_names"]), tuple(_DATA["last_names"])
# Most demo orgs keep their books in euros (EUR is listed six times).
ORG_CURRENCIES: tuple[str, ...] = tuple(_DATA["org_currencies"])
