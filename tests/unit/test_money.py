"""Amounts are Decimals with at most four places, never floats."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app import money


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12.5", Decimal("12.5000")),
        ("0.0001", Decimal("0.0001")),
        (7, Decimal("7.0000")),
        (" 1000 ", Decimal("1000.0000")),
        ("999999999999999.9999", Decimal("999999999999999.9999")),
    ],
)
def test_parses_good_amounts(raw, expected):
    assert money.parse_amount(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("-1", "greater than zero"),
        ("0", "greater than zero"),
        ("abc", "not a number"),
        ("1.23456", "4 decimal"),
        (1.5, "string"),
        ("", "Enter an amount"),
        (None, "number"),
        ("NaN", "finite"),
        ("Infinity", "finite"),
        ("1e20", "too large"),
        (True, "string"),
    ],
)
def test_refuses_bad_amounts(raw, reason):
    with pytest.raises(money.MoneyError, match=reason):
        money.parse_amount(raw)


def test_locale_decimal_separator():
    assert money.parse_amount("1.234,56", locale="de_DE") == Decimal("1234.5600")


def test_currency_codes():
    assert money.check_currency("eur") == "EUR"
    with pytest.raises(money.MoneyError, match="ISO 4217"):
        money.check_currency("XYZ1")


def test_rounding_uses_minor_units_half_even():
    assert money.round_to_currency(Decimal("2.5"), "JPY") == Decimal("2")
    assert money.round_to_currency(Decimal("1.0005"), "KWD") == Decimal("1.000")
    assert money.round_to_currency(Decimal("1.005"), "EUR") == Decimal("1.00")


@given(st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("999999999999"), places=4))
def test_any_four_place_amount_round_trips_through_json(amount):
    assert money.parse_amount(money.as_json(amount)) == amount
