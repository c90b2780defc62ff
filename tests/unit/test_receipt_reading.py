"""The receipt-reading rules on text as Tesseract gives it back: misread letters, stray
punctuation, subtotals, tax and cash lines beside the total."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.services.receipts.reading import propose

TILL = """\
CORNER BAKERY
12 High Street
Date: 03/11/2026 14:05
Croissant 2.40
Coffee 3.10
Subtotal 5.50
VAT 20% 1.10
T0TAL £6.60
Cash 10.00
Change 3.40
Thank you!
"""


def test_a_till_slip_proposes_its_total_date_currency_and_merchant():
    found = propose(TILL)
    assert found.total == Decimal("6.60")  # "T0TAL": O read as zero
    assert found.date == date(2026, 11, 3)  # day first outside dollar receipts
    assert found.currency == "GBP"
    assert found.merchant == "CORNER BAKERY"
    assert found.as_json() == {
        "date": "2026-11-03",
        "total": "6.60",
        "currency": "GBP",
        "merchant": "CORNER BAKERY",
    }


def test_continental_comma_decimals_and_thousands():
    text = "Markt Grocer\n03.02.2026\nSubtotal 1.050,00\nMwSt 19% 199,50\nSUMME EUR 1.249,50\n"
    found = propose(text)
    assert found.total == Decimal("1249.50") and found.currency == "EUR"
    assert found.date == date(2026, 2, 3)


def test_a_dollar_receipt_reads_slashes_month_first():
    found = propose("Green Cafe\n03/11/2026\nTotal $12.00\n")
    assert found.date == date(2026, 3, 11) and found.currency == "USD"
    # A first number that cannot be a month decides whatever the currency.
    assert propose("Cafe\n25/11/2026\nTotal $1.00").date == date(2026, 11, 25)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("2026-11-03 10:12", date(2026, 11, 3)),
        ("3 Nov 2026", date(2026, 11, 3)),
        ("Nov 03, 2026", date(2026, 11, 3)),
        ("03-Nov-26", date(2026, 11, 3)),
        ("03.11.26", date(2026, 11, 3)),
    ],
)
def test_dates_in_the_formats_receipts_print(line, expected):
    assert propose(f"Shop name\n{line}\nTotal 1.00").date == expected


def test_a_misread_total_is_outvoted_by_the_receipts_own_arithmetic():
    # 214.55 read as 204.55; subtotal + VAT and cash - change both say 214.55.
    text = "Shop\nSubtotal 178.79\nVAT 20% 35.76\nTOTAL £204.55\nCash 220.00\nChange 5.45\n"
    assert propose(text).total == Decimal("214.55")
    # A misread tax line is outvoted the other way: total and cash - change agree.
    text = "Shop\nSubtotal 37.85\nMwSt 10% 3.09\nSUMME EUR 41.64\nCash 50.00\nChange 8.36\n"
    assert propose(text).total == Decimal("41.64")


def test_an_unreadable_total_label_falls_back_to_the_sum():
    text = "Shop\nSubtotal 93.73\nVAT 19% 17.81\neee $111.54\nCash 130.00\nChange 18.46\n"
    assert propose(text).total == Decimal("111.54")


def test_text_with_nothing_recognisable_proposes_nothing():
    found = propose("~~ ;; ..\n\n|||")
    assert found.as_json() == {"date": None, "total": None, "currency": None, "merchant": None}


def test_subtotal_tax_cash_and_change_lines_are_never_the_total():
    text = "Shop\nSubtotal 10.00\nTax 0.80\nCash 20.00\nChange 9.20\n"
    # No total line: subtotal + tax (10.80), which cash - change confirms.
    assert propose(text).total == Decimal("10.80")
