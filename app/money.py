"""Money: parsing, rounding and formatting. Nothing else touches amounts.

Amounts are `Decimal` in Python and `NUMERIC(19,4)` in the database; JSON carries them as
strings. Display uses the currency's own minor units and the user's locale (Babel).
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from babel.numbers import (
    NumberFormatError,
    format_currency,
    get_currency_precision,
    list_currencies,
    parse_decimal,
)

SCALE = 4  # NUMERIC(19,4)
MAX_INTEGER_DIGITS = 15  # 19 - 4
QUANTUM = Decimal(1).scaleb(-SCALE)
_CURRENCIES = frozenset(list_currencies())


class MoneyError(ValueError):
    """A human-readable reason an amount or currency was refused."""


def is_currency(code: object) -> bool:
    return isinstance(code, str) and code in _CURRENCIES


def check_currency(code: object) -> str:
    if not isinstance(code, str) or not code:
        raise MoneyError("Give a three-letter ISO 4217 currency code, such as EUR.")
    code = code.strip().upper()
    if code not in _CURRENCIES:
        raise MoneyError(f"{code} is not an ISO 4217 currency code.")
    return code


def parse_amount(value: object, locale: str | None = None) -> Decimal:
    """A positive amount with at most four decimals, from a form string, JSON string or number.

    Floats are refused: a binary fraction is not an amount of money.
    """
    if isinstance(value, bool | float):
        raise MoneyError('Send the amount as a string, such as "12.50".')
    if isinstance(value, Decimal | int):
        amount = Decimal(value)
    elif isinstance(value, str):
        text = value.strip().replace("\u00a0", "").replace(" ", "")
        if not text:
            raise MoneyError("Enter an amount.")
        try:
            amount = parse_decimal(text, locale=locale, strict=False) if locale else Decimal(text)
        except (InvalidOperation, NumberFormatError, ValueError):
            raise MoneyError(f"{value!r} is not a number.") from None
    else:
        raise MoneyError("Enter the amount as a number, such as 12.50.")
    if not amount.is_finite():
        raise MoneyError("Enter a finite amount.")
    if amount <= 0:
        raise MoneyError("The amount must be greater than zero.")
    exponent = amount.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -SCALE:
        raise MoneyError(f"Use at most {SCALE} decimal places.")
    if amount.adjusted() >= MAX_INTEGER_DIGITS:
        raise MoneyError("That amount is too large.")
    return amount.quantize(QUANTUM)


def minor_units(currency: str) -> int:
    return get_currency_precision(currency)


def round_to_currency(amount: Decimal, currency: str) -> Decimal:
    """Round half-even to the currency's minor units (JPY 0, EUR 2, KWD 3)."""
    return amount.quantize(Decimal(1).scaleb(-minor_units(currency)), rounding=ROUND_HALF_EVEN)


def as_json(amount: Decimal | None) -> str | None:
    return None if amount is None else f"{amount:.{SCALE}f}"


def display(amount: Decimal | None, currency: str, locale: str = "en") -> str:
    if amount is None:
        return ""
    return format_currency(amount, currency, locale=locale or "en")
