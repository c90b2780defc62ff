"""The one clock: `now()` in UTC for timestamps, `today(tz)` / `org_today(org)` for calendar days.

Timestamps are stored as aware UTC. Calendar days ("today", "this month", budget periods, the
day a recurring rule posts or a reminder is due) are the org's: at 6 pm in California it is
still the 31st there, though it is already the 1st in UTC.

Tests move the clock with `frozen(at)` (or `freeze(at)` / `unfreeze()`): a module-level
override, so everything in the process — requests, in-process jobs, forked RQ work horses, the
portal's AppTest — sees the same instant, with no mock of the database or Redis.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

DEFAULT_ZONE = "UTC"

_frozen: datetime | None = None


class HasTimeZone(Protocol):
    time_zone: str | None


def now() -> datetime:
    """This instant, timezone-aware, in UTC."""
    return _frozen if _frozen is not None else datetime.now(UTC)


@lru_cache(maxsize=1)
def zone_names() -> frozenset[str]:
    """The IANA names this machine knows (the tzdata package when the OS has none)."""
    return frozenset(available_timezones())


def is_zone(name: object) -> bool:
    return isinstance(name, str) and name in zone_names()


def zone(name: str | None) -> ZoneInfo:
    """The zone for an IANA name; UTC for a missing or unknown one (never an error mid-job)."""
    if not name or not is_zone(name):
        return ZoneInfo(DEFAULT_ZONE)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


def today(tz: str | None = DEFAULT_ZONE) -> date:
    """The calendar day it is now in the zone `tz` (an IANA name)."""
    return now().astimezone(zone(tz)).date()


def org_today(org: HasTimeZone) -> date:
    """The org's today: the day in its own time zone."""
    return today(getattr(org, "time_zone", None))


def local(at: datetime, tz: str | None) -> datetime:
    """A stored UTC timestamp as wall-clock time in the zone `tz`, for display."""
    return at.astimezone(zone(tz))


def freeze(at: datetime) -> None:
    """Stop the clock at `at` (aware; naive is read as UTC) until `unfreeze()`."""
    global _frozen
    _frozen = (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(UTC)


def unfreeze() -> None:
    global _frozen
    _frozen = None


@contextmanager
def frozen(at: datetime) -> Iterator[None]:
    """`with clock.frozen(datetime(2026, 3, 31, 18, tzinfo=ZoneInfo("America/Los_Angeles"))):`"""
    global _frozen
    before = _frozen
    freeze(at)
    try:
        yield
    finally:
        _frozen = before
