"""Exchange rates and conversion to an org's base currency.

Rates are the European Central Bank's euro reference rates: `units of X per 1 EUR` for each
day the ECB fixes. Any pair is a cross rate through EUR. A day without a fix (weekend,
holiday) uses the latest earlier fix, and says which. A few currencies the ECB does not
publish are pegged to the US dollar by their central banks; they are derived from the ECB's
USD fix and the official peg (PEGS). Everything is Decimal; the base amount is rounded half-even
to the base currency's minor units (JPY 0, EUR 2, BHD 3).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, localcontext

from sqlalchemy import text

from app import money
from app.extensions import db

RATE_SCALE = Decimal("1E-10")  # NUMERIC(20,10)
# Official fixed pegs: units of the currency per 1 USD.
PEGS = {
    "BHD": Decimal("0.376"),
    "OMR": Decimal("0.3845"),
    "JOD": Decimal("0.709"),
    "SAR": Decimal("3.75"),
    "AED": Decimal("3.6725"),
    "QAR": Decimal("3.64"),
}
# An older "latest fix" means the ECB no longer quotes the currency (RUB since 2022); offline,
# the bundled history may be weeks old, which the UI shows with the fix date.
STALE_AFTER = timedelta(days=45)


class NoRate(LookupError):
    """No reference rate for this currency on or shortly before that day."""


@dataclass(frozen=True)
class Fix:
    per_eur: Decimal
    day: date


@dataclass(frozen=True)
class Conversion:
    rate: Decimal  # units of base per 1 unit of the transaction's currency
    rate_date: date | None
    source: str  # "base", "ecb" or "override"
    base_amount: Decimal


def fix(currency: str, day: date) -> Fix:
    """The latest ECB fix for `currency` on or before `day` (EUR is 1 by definition)."""
    if currency == "EUR":
        return Fix(Decimal(1), day)
    quoted = "USD" if currency in PEGS else currency
    row = db.session.execute(
        text(
            "SELECT per_eur, day FROM fx_rates WHERE currency = :c AND day <= :d "
            "ORDER BY day DESC LIMIT 1"
        ),
        {"c": quoted, "d": day},
    ).first()
    if row is None or day - row.day > STALE_AFTER:
        raise NoRate(f"The ECB publishes no reference rate for {currency} on {day.isoformat()}.")
    per_eur = row.per_eur * PEGS[currency] if currency in PEGS else row.per_eur
    return Fix(per_eur, row.day)


def rate(currency: str, base: str, day: date) -> tuple[Decimal, date]:
    """Units of `base` per 1 `currency` on `day`, through EUR; and the fix date used."""
    if currency == base:
        return Decimal(1), day
    source, target = fix(currency, day), fix(base, day)
    with localcontext() as ctx:
        ctx.prec = 34
        value = (target.per_eur / source.per_eur).quantize(RATE_SCALE)
    # EUR's "fix" is the day asked for, so the older of the two is the fix that mattered.
    return value, min(source.day, target.day)


def convert(
    amount: Decimal, currency: str, base: str, day: date, override: Decimal | None = None
) -> Conversion:
    """The base amount of `amount` in `currency` on `day`; `override` is a rate the user gives."""
    if currency == base:
        return Conversion(Decimal(1), day, "base", money.round_to_currency(amount, base))
    if override is not None:
        used, fixed_on, source = override.quantize(RATE_SCALE), None, "override"
    else:
        used, fixed_on = rate(currency, base, day)
        source = "ecb"
    with localcontext() as ctx:
        ctx.prec = 34
        base_amount = money.round_to_currency(amount * used, base)
    return Conversion(used, fixed_on, source, base_amount)


def table(base: str, day: date) -> tuple[date | None, dict[str, Decimal]]:
    """Every currency's rate against `base` on `day`: (the fix date, {code: base per unit})."""
    rows = db.session.execute(
        text(
            "SELECT DISTINCT ON (currency) currency, per_eur, day FROM fx_rates "
            "WHERE day <= :d AND day > :d - 45 ORDER BY currency, day DESC"
        ),
        {"d": day},
    ).all()
    per_eur = {r.currency: r.per_eur for r in rows}
    per_eur["EUR"] = Decimal(1)
    if "USD" in per_eur:
        per_eur.update({code: per_eur["USD"] * peg for code, peg in PEGS.items()})
    if base not in per_eur:
        raise NoRate(f"The ECB publishes no reference rate for {base} on {day.isoformat()}.")
    fixed_on = max((r.day for r in rows), default=None)
    with localcontext() as ctx:
        ctx.prec = 34
        rates = {
            code: (per_eur[base] / value).quantize(RATE_SCALE)
            for code, value in sorted(per_eur.items())
            if code != base
        }
    return fixed_on, rates


def currencies(day: date) -> list[str]:
    """The currencies a transaction can be recorded in on `day` without a manual rate."""
    rows = db.session.execute(
        text("SELECT DISTINCT currency FROM fx_rates WHERE day <= :d AND day > :d - 45"),
        {"d": day},
    ).scalars()
    found = {"EUR", *rows}
    if "USD" in found:
        found.update(PEGS)
    return sorted(found)
