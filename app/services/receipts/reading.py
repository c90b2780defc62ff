"""What a receipt's text says: its date, total, currency and merchant (docs/approvals.md).

Pure rules over the text Tesseract gives back (`app/services/receipts/ocr.py` runs it), so they
are unit-tested on OCR-like text without an image. Each proposal is a guess the user accepts
or ignores; nothing here changes a transaction.

- Total: the amount on a line that says total / amount due / to pay / balance, never on a
  subtotal, tax, VAT, tip, cash, tendered or change line; the last such line wins (receipts
  print the grand total after the subtotal). Without one, no total is proposed (a guess from
  the largest figure would too often be the cash handed over).
- Date: ISO (2026-11-03), day first with dots or slashes (03.11.2026, 03/11/26), month names
  (3 Nov 2026, Nov 3, 2026, 03-Nov-26); slashes are read month first on a dollar receipt
  (US style) unless the first number cannot be a month.
- Currency: an ISO code or a symbol (€ £ $ ¥ CHF) anywhere on the receipt; `$` alone is USD.
- Merchant: the first line with a word of three or more letters that is not a date, an amount
  or a label (receipts print the shop's name on top).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

# OCR confuses O and 0, l and 1 inside words; the patterns allow both.
_TOTAL = re.compile(
    r"\b(?:grand\s*t[o0]ta[l1]|t[o0]\s*ta[l1]|amount\s+due|balance(?:\s+due)?|to\s+pay|"
    r"total\s+due|montant|summe|gesamt)\b",
    re.I,
)
_NOT_TOTAL = re.compile(
    r"\b(?:sub\s*-?\s*t[o0]ta[l1]|net|tax|vat|tva|mwst|gst|tip|cash|tendered|change|card\s+no|"
    r"items?|savings?|discount|points)\b",
    re.I,
)
_SUBTOTAL = re.compile(r"\bsub\s*-?\s*t[o0]ta[l1]\b", re.I)
_CASH = re.compile(r"\b(?:cash|tendered)\b", re.I)
_CHANGE = re.compile(r"\bchange\b", re.I)
_TAX = re.compile(r"\b(?:tax|vat|tva|mwst|gst)\b", re.I)
# 1,234.56 · 1.234,56 · 1 234,56 · 12.50 · 12,50 (OCR may put a space after the mark).
_AMOUNT = re.compile(r"(?<![\d.,])(\d{1,3}(?:[.,' ]\d{3})+|\d+)\s?[.,]\s?(\d{2})(?![\d])")
CODES = ("EUR", "USD", "GBP", "CHF", "JPY", "CAD", "AUD", "SEK", "NOK", "DKK", "PLN", "CZK")
_CODE = re.compile(r"\b(" + "|".join(CODES) + r")\b")
SYMBOLS = {"€": "EUR", "£": "GBP", "¥": "JPY", "$": "USD"}
MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for m in names
}
_MONTH = r"(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_ISO = re.compile(r"\b(20\d{2})[-/.](\d{1,2})[-/.](\d{1,2})\b")
_NUMERIC = re.compile(r"\b(\d{1,2})\s?([./-])\s?(\d{1,2})\s?\2\s?(\d{4}|\d{2})\b")
_DAY_MONTH = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)?[\s-]+" + _MONTH + r"[\s,-]+(\d{4}|\d{2})\b", re.I
)
_MONTH_DAY = re.compile(r"\b" + _MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b", re.I)
_LABEL = re.compile(r"\b(?:receipt|invoice|tel|phone|date|time|vat\s*no|www|http)\b", re.I)


@dataclass(frozen=True)
class Proposal:
    date: date | None = None
    total: Decimal | None = None
    currency: str | None = None
    merchant: str | None = None

    def as_json(self) -> dict[str, str | None]:
        """What is stored on the receipt (JSONB) and sent by the API: money as a string."""
        return {
            "date": self.date.isoformat() if self.date else None,
            "total": f"{self.total:.2f}" if self.total is not None else None,
            "currency": self.currency,
            "merchant": self.merchant,
        }


def amounts(line: str) -> list[Decimal]:
    found = []
    for whole, cents in _AMOUNT.findall(line):
        digits = re.sub(r"[.,' ]", "", whole)
        try:
            found.append(Decimal(f"{digits}.{cents}"))
        except InvalidOperation:  # pragma: no cover - the pattern only passes digits
            continue
    return found


def _last_amount(lines: list[str], pattern: re.Pattern[str]) -> list[Decimal]:
    return [found[-1] for line in lines if pattern.search(line) and (found := amounts(line))]


def total(lines: list[str]) -> Decimal | None:
    """The total line, checked by the receipt's own arithmetic: subtotal + tax, and cash -
    change. Where two of the three agree they win (one misread digit is outvoted); with no
    agreement the total line's figure stands; with no total line, the sum."""
    said = [
        found[-1]
        for line in lines
        if _TOTAL.search(line) and not _NOT_TOTAL.search(line) and (found := amounts(line))
    ]
    subtotals = _last_amount(lines, _SUBTOTAL)
    taxes = _last_amount(lines, _TAX)
    cash, change = _last_amount(lines, _CASH), _last_amount(lines, _CHANGE)
    ways = [
        said[-1] if said else None,
        subtotals[-1] + sum(taxes) if subtotals and taxes else None,
        cash[-1] - change[-1] if cash and change and cash[-1] > change[-1] else None,
    ]
    known = [way for way in ways if way is not None]
    for way in known:
        if known.count(way) >= 2:
            return way
    return known[0] if known else None


def currency(text: str) -> str | None:
    code = _CODE.search(text.upper())
    if code:
        return code.group(1)
    for symbol, iso in SYMBOLS.items():
        if symbol in text:
            return iso
    return None


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        found = date(year, month, day)
    except ValueError:
        return None
    return found if 2000 <= found.year <= 2099 else None


def _numeric(match: re.Match[str], month_first: bool) -> date | None:
    a, sep, b, year = int(match[1]), match[2], int(match[3]), _year(match[4])
    if sep == "/" and month_first and a <= 12:
        return _valid(year, a, b) or _valid(year, b, a)
    return _valid(year, b, a) or _valid(year, a, b)


def receipt_date(text: str, month_first: bool = False) -> date | None:
    """The first date on the receipt (the sale's; a due date or expiry comes later)."""
    candidates: list[tuple[int, date]] = []
    for m in _ISO.finditer(text):
        if found := _valid(int(m[1]), int(m[2]), int(m[3])):
            candidates.append((m.start(), found))
    for m in _NUMERIC.finditer(text):
        if found := _numeric(m, month_first):
            candidates.append((m.start(), found))
    for m in _DAY_MONTH.finditer(text):
        if found := _valid(_year(m[3]), MONTHS[m[2].lower()], int(m[1])):
            candidates.append((m.start(), found))
    for m in _MONTH_DAY.finditer(text):
        if found := _valid(_year(m[3]), MONTHS[m[1].lower()], int(m[2])):
            candidates.append((m.start(), found))
    return min(candidates, key=lambda c: c[0])[1] if candidates else None


def merchant(lines: list[str]) -> str | None:
    for line in lines[:6]:
        clean = line.strip(" *-=#:|.")
        if (
            re.search(r"[A-Za-z]{3,}", clean)
            and not amounts(clean)
            and not receipt_date(clean)
            and not _LABEL.search(clean)
            and sum(c.isalpha() for c in clean) >= len(clean.replace(" ", "")) * 0.6
        ):
            return re.sub(r"\s+", " ", clean)[:100]
    return None


def propose(text: str) -> Proposal:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    code = currency(text)
    return Proposal(
        date=receipt_date(text, month_first=code == "USD"),
        total=total(lines),
        currency=code,
        merchant=merchant(lines),
    )
