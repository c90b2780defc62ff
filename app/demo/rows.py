"""Realistic ledger rows for demo orgs, as lines in PostgreSQL's COPY text format.

Pure generation (no database): `demo_data` allocates the ids and loads the lines. Money is
integer cents all the way and written as a two-decimal string; no float touches an amount.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from app.demo.vocabulary import (
    EXPENSE_WEIGHTS,
    EXPENSES,
    INCOME_SHARE,
    INCOME_WEIGHTS,
    INCOMES,
    SEASON,
    TAGS,
)

# The COPY column list, in the order each line below writes its fields.
TRANSACTION_COLUMNS = (
    "org_id", "kind", "date", "amount", "currency", "category_id", "description",
    "payment_method_id", "tags", "status", "created_by", "created_at", "updated_at", "rate",
    "rate_date", "rate_source", "base_amount",
)  # fmt: skip
DAYS = 730  # about two years, ending today


@dataclass(frozen=True)
class OrgLedger:
    """What a generator needs to know about one org."""

    org_id: int
    owner_id: int | None
    currency: str
    categories: dict[str, tuple[int, str]]  # name -> (id, kind)
    methods: dict[str, int]  # name -> id


def cents_text(cents: int) -> str:
    """Integer cents as a two-decimal amount: 123456 -> '1234.56'."""
    return f"{cents // 100}.{cents % 100:02d}"


def _month_starts(today: date) -> list[date]:
    first = (today - timedelta(days=DAYS)).replace(day=1)
    months, month = [], first
    while month <= today:
        months.append(month)
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return months


class Calendar:
    """Days of the last two years, drawn with the seasonal weights."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.start = start = today - timedelta(days=DAYS)
        self.months = _month_starts(today)
        self.spans: list[tuple[int, int]] = []  # (first ordinal, number of days) in the window
        weights = []
        for month in self.months:
            nxt = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
            lo, hi = max(month, start), min(nxt - timedelta(days=1), today)
            days = (hi - lo).days + 1
            self.spans.append((lo.toordinal(), days))
            weights.append(SEASON[month.month - 1] * days)
        self.cum = [sum(weights[: i + 1]) for i in range(len(weights))]
        self.indexes = range(len(self.months))

    def draw(self, rng: random.Random, k: int) -> list[date]:
        picks = rng.choices(self.indexes, cum_weights=self.cum, k=k)
        out = []
        for i in picks:
            first, days = self.spans[i]
            out.append(date.fromordinal(first + rng.randrange(days)))
        return out


def _amount(rng: random.Random, lo: int, hi: int, season_pct: int) -> int:
    """Skewed to small amounts (product of two uniform draws), scaled by the season."""
    span = hi - lo
    cents = lo + rng.randrange(span) * rng.randrange(span) // span
    return max(100, cents * season_pct // 100)


def _tags(rng: random.Random) -> str:
    roll = rng.randrange(100)
    if roll < 75:
        return "{}"
    if roll < 95:
        return "{" + rng.choice(TAGS) + "}"
    first, second = rng.sample(TAGS, 2)
    return "{" + first + "," + second + "}"


class LedgerWriter:
    """COPY lines for one org's transactions: recurring rent and salary, then the rest."""

    def __init__(self, org: OrgLedger, calendar: Calendar, rng: random.Random) -> None:
        self.org, self.calendar, self.rng = org, calendar, rng
        self.owner = "\\N" if org.owner_id is None else str(org.owner_id)
        self.prefix = f"{org.org_id}\t"

    def _method(self, preferred: tuple[str, ...]) -> str:
        methods = self.org.methods
        if not methods or self.rng.randrange(100) < 4:
            return "\\N"
        for name in self.rng.sample(preferred, len(preferred)):
            if name in methods:
                return str(methods[name])
        return str(self.rng.choice(list(methods.values())))

    def _line(
        self,
        kind: str,
        day: date,
        cents: int,
        category: int,
        text: str,
        method: str,
        tags: str,
        status: str,
    ) -> str:
        stamp = f"{day.isoformat()} {self.rng.randrange(8, 19):02d}:{self.rng.randrange(60):02d}"
        return (
            f"{self.prefix}{kind}\t{day.isoformat()}\t{cents_text(cents)}\t{self.org.currency}\t"
            f"{category}\t{text}\t{method}\t{tags}\t{status}\t{self.owner}\t{stamp}+00\t"
            # Demo amounts are in the org's base currency: rate 1, base amount = amount.
            f"{stamp}+00\t1\t{day.isoformat()}\tbase\t{cents_text(cents)}\n"
        )

    def recurring(self, months: int) -> Iterator[str]:
        """Rent on a fixed day and a salary income on a fixed day, each of the last months."""
        rng, cats = self.rng, self.org.categories
        rent_day, pay_day = rng.randint(1, 5), rng.randint(25, 28)
        rent, salary = rng.randrange(80_000, 600_000, 500), rng.randrange(250_000, 900_000, 1000)
        for month in self.calendar.months[-months:] if months else []:
            raise_pct = 100 + 3 * (month.year - self.calendar.months[0].year)  # yearly indexation
            for name, day, cents, text, method in (
                ("Rent", rent_day, rent, f"Office rent {month:%B %Y}", ("Bank transfer",)),
                ("Salary", pay_day, salary, f"Salary {month:%B %Y}", ("Bank transfer",)),
            ):
                when = month.replace(day=day)
                if name in cats and self.calendar.start <= when <= self.calendar.today:
                    category, kind = cats[name]
                    yield self._line(
                        kind,
                        when,
                        cents * raise_pct // 100,
                        category,
                        text,
                        self._method(method),
                        "{recurring}",
                        "posted",
                    )

    def random(self, count: int) -> Iterator[str]:
        rng, cats = self.rng, self.org.categories
        expenses = [n for n in EXPENSE_WEIGHTS if n in cats and cats[n][1] == "expense"]
        incomes = [n for n in INCOME_WEIGHTS if n in cats and cats[n][1] == "income"]
        if not cats:
            return  # an org without categories cannot hold transactions
        if not expenses and not incomes:  # only custom categories: use them, with their kinds
            expenses = list(cats)
        e_weights = [EXPENSE_WEIGHTS.get(n, 5) for n in expenses]
        i_weights = [INCOME_WEIGHTS.get(n, 5) for n in incomes]
        for day in self.calendar.draw(rng, count):
            income = bool(incomes) and (not expenses or rng.randrange(100) < INCOME_SHARE)
            if income:
                name = rng.choices(incomes, i_weights)[0]
            else:
                name = rng.choices(expenses, e_weights)[0]
            category, kind = cats[name]
            if kind == "income":
                lo, hi, texts, preferred = INCOMES.get(name, INCOMES["Other income"])
            else:
                lo, hi, texts, preferred = EXPENSES.get(name, EXPENSES["Other expense"])
            roll = rng.randrange(100)
            status = "posted" if income or roll < 96 else ("pending" if roll < 99 else "rejected")
            cents = _amount(rng, lo, hi, SEASON[day.month - 1])
            yield self._line(
                kind,
                day,
                cents,
                category,
                rng.choice(texts),
                self._method(preferred),
                _tags(rng),
                status,
            )

    def lines(self, count: int) -> Iterator[str]:
        """Exactly `count` lines; recurring entries take at most an eighth of them."""
        months = min(len(self.calendar.months), count // 16)
        produced = 0
        for line in self.recurring(months):
            produced += 1
            yield line
        yield from self.random(count - produced)


def transaction_lines(
    orgs: list[OrgLedger], count: int, today: date, rng: random.Random
) -> Iterator[str]:
    """`count` transactions for each org, org after org."""
    calendar = Calendar(today)
    for org in orgs:
        yield from LedgerWriter(org, calendar, rng).lines(count)
