"""Money: parsing, rounding and formatting. Nothing else touches amounts.

Amounts are `Decimal` in Python and `NUMERIC(19,4)` in the database; JSON carries them as
strings. Display uses the currency's own minor units and the user's locale (Babel).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache, partial

from babel.core import Locale, UnknownLocaleError
from babel.numbers import (
    NumberFormatError,
    format_currency,
    get_currency_precision,
    get_currency_symbol,
    get_decimal_symbol,
    get_group_symbol,
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


# Machine form, as the API sends and the URL carries: ASCII digits and an optional point.
# Python's Decimal() also reads "1_000", "1e3", " ٣ " and "NaN": none of those is an amount.
PLAIN = re.compile(r"[+-]?\d+(\.\d+)?", re.ASCII)
_SPACES = {" ", "\u00a0", "\u202f"}  # what people type, or paste, between thousands
RATE_DECIMALS = 10  # NUMERIC(20,10)
MAX_RATE_DIGITS = 10


def _symbols(locale: str) -> tuple[str, str]:
    try:
        return get_decimal_symbol(locale), get_group_symbol(locale)
    except (UnknownLocaleError, ValueError):
        return ".", ","


def _from_locale(text: str, locale: str, original: object) -> Decimal:
    """A number as the user's locale writes it, grouping checked (never "1,5" read as 15)."""
    decimal_symbol, group = _symbols(locale)
    if group in _SPACES:
        text = "".join(group if c in _SPACES else c for c in text)
    if any(not (c.isascii() and c.isdigit()) and c not in (decimal_symbol, group) for c in text):
        raise MoneyError(
            f"{original!r} is not an amount: use the digits 0-9 and “{decimal_symbol}” "
            "for decimals."
        )
    try:
        return parse_decimal(text, locale=locale, strict=True)
    except NumberFormatError:
        if group in text:
            raise MoneyError(
                f"The thousands separator “{group.strip() or 'space'}” is in the wrong place "
                f"in {original!r}; for decimals use “{decimal_symbol}”."
            ) from None
        raise MoneyError(f"{original!r} is not an amount.") from None


def _number(value: object, locale: str | None, what: str) -> Decimal:
    if isinstance(value, bool | float):
        raise MoneyError(f'Send the {what} as a string, such as "12.50".')
    if isinstance(value, int):
        if abs(value) >= 10**MAX_INTEGER_DIGITS:
            raise MoneyError(f"That {what} is too large.")
        return Decimal(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise MoneyError(f"Enter a finite {what}.")
        return value
    if not isinstance(value, str):
        raise MoneyError(f"Enter the {what} as a number, such as 12.50.")
    text = value.strip()
    if not text:
        raise MoneyError(f"Enter an {what}." if what[0] in "aeiou" else f"Enter a {what}.")
    if PLAIN.fullmatch(text) and (locale is None or _symbols(locale)[1] != "."):
        return Decimal(text)
    if locale is None:
        raise MoneyError(
            f"{value[:40]!r} is not a number: write it with the digits 0-9 and a point for "
            "decimals, without thousands separators, such as 1234.50."
        )
    return _from_locale(text, locale, value[:40])


def decimals(amount: Decimal) -> int:
    """How many decimal places `amount` needs (10.50 needs 1, 100 needs 0)."""
    exponent = amount.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def check_minor_units(amount: Decimal, currency: str) -> None:
    """Refuse more decimals than the currency has (JPY 10.5, EUR 0.001); never round them."""
    units = minor_units(currency)
    if decimals(amount) > units:
        if units == 0:
            raise MoneyError(f"{currency} amounts are whole numbers, without decimals.")
        raise MoneyError(f"{currency} amounts have at most {units} decimal places.")


def parse_amount(value: object, locale: str | None = None, currency: str | None = None) -> Decimal:
    """A positive amount, from a JSON string or integer, or a form string.

    Without `locale` (the API, URLs) only the plain form is read: ASCII digits and a point.
    With the user's `locale` (forms) its own format is read too, grouping checked. With
    `currency`, no more decimals than its minor units; otherwise at most four (the column).
    Floats are refused: a binary fraction is not an amount of money.
    """
    amount = _number(value, locale, "amount")
    if amount <= 0:
        raise MoneyError("The amount must be greater than zero.")
    if currency is not None:
        check_minor_units(amount, currency)
    elif decimals(amount) > SCALE:
        raise MoneyError(f"Use at most {SCALE} decimal places.")
    if amount.adjusted() >= MAX_INTEGER_DIGITS:
        raise MoneyError("That amount is too large.")
    return amount.quantize(QUANTUM)


def parse_rate(value: object, locale: str | None = None) -> Decimal | None:
    """An exchange-rate override (base units per unit of the amount's currency), or None.

    Rates keep their own precision (up to ten decimals), whatever the currencies' minor units.
    """
    if value is None or value == "":
        return None
    rate = _number(value, locale, "rate")
    if rate <= 0:
        raise MoneyError("The rate must be a number greater than zero.")
    if decimals(rate) > RATE_DECIMALS or rate.adjusted() >= MAX_RATE_DIGITS:
        raise MoneyError("Give the rate with at most 10 digits before and after the point.")
    return rate


def form_amount(amount: Decimal, currency: str) -> str:
    """A stored amount as a form field shows it: the currency's minor units (12.50, JPY 1050),
    plain digits. A row stored with more decimals than that (before the precision rule) keeps
    them, so saving it again is refused rather than silently rounded."""
    places = max(minor_units(currency), decimals(amount))
    return f"{amount:.{places}f}"


def minor_units(currency: str) -> int:
    return get_currency_precision(currency)


def round_to_currency(amount: Decimal, currency: str) -> Decimal:
    """Round half-even to the currency's minor units (JPY 0, EUR 2, KWD 3)."""
    return amount.quantize(Decimal(1).scaleb(-minor_units(currency)), rounding=ROUND_HALF_EVEN)


def as_json(amount: Decimal | None) -> str | None:
    return None if amount is None else f"{amount:.{SCALE}f}"


def display(amount: Decimal | None, currency: str, locale: str = "en") -> str:
    """`amount` as Babel's `format_currency` writes it in `locale` (its standard pattern)."""
    if amount is None:
        return ""
    return _formatter(currency, locale or "en")(amount)


# Values a formatter must write exactly as Babel does before it replaces Babel for a pair:
# rounding half-even at the minor units, grouping, a negative zero, large and tiny amounts.
_PROBES = tuple(
    Decimal(v)
    for v in ("0", "-0", "0.005", "0.015", "1.5", "12.345", "999.995", "1234567.8949", "-42.1")
)


@lru_cache(maxsize=1024)
def _formatter(currency: str, locale: str) -> Callable[[Decimal], str]:
    """A formatter for one currency in one locale. Babel parses the pattern and looks up the
    symbols on every call (about 0.1 ms, 5 ms for a page of 50 rows); for the patterns most
    locales use (groups of three, the currency sign before or after) the parts are fixed
    per pair and the number is Python's own grouping. Any other pattern, or a pair whose
    probes come out differently from Babel, keeps Babel."""
    babel = partial(format_currency, currency=currency, locale=locale)
    try:
        pattern = Locale.parse(locale).currency_formats["standard"]
        symbol = get_currency_symbol(currency, locale)
        decimal_symbol, group = get_decimal_symbol(locale), get_group_symbol(locale)
    except (UnknownLocaleError, ValueError, KeyError):
        return babel
    if pattern.grouping != (3, 3) or pattern.scale != 0 or pattern.exp_prec:
        return babel
    digits = get_currency_precision(currency)
    quantum = Decimal(1).scaleb(-digits)
    positive, negative = (
        tuple(part.replace("¤", symbol) for part in pair)
        for pair in zip(pattern.prefix, pattern.suffix, strict=True)
    )
    table = str.maketrans({",": group, ".": decimal_symbol})

    def fast(amount: Decimal) -> str:
        if not isinstance(amount, Decimal) or not amount.is_finite():
            return babel(amount)
        prefix, suffix = negative if amount.is_signed() else positive
        number = f"{abs(amount).quantize(quantum, ROUND_HALF_EVEN):,.{digits}f}"
        return f"{prefix}{number.translate(table)}{suffix}"

    if "'" in "".join(positive + negative) or any(fast(v) != babel(v) for v in _PROBES):
        return babel
    return fast
