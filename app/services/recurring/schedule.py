"""When a recurring rule's occurrences fall: python-dateutil's rrule, built from the rule.

Monthly and yearly rules on day 29, 30 or 31 fall on the last day of a shorter month
(`bymonthday=(day, -1), bysetpos=1`: the day if the month has it, else the last day); -1 means
"the last day" outright. Weekly rules name their weekday, so moving the anchor (an edited
schedule starts again after the last posted occurrence) never changes the day of the week.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from itertools import islice

from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY, rrule

FREQ = {"daily": DAILY, "weekly": WEEKLY, "monthly": MONTHLY, "yearly": YEARLY}


@dataclass(frozen=True)
class Schedule:
    frequency: str
    interval: int
    start: date  # the anchor: where this version of the schedule starts
    weekday: int | None = None
    month_day: int | None = None
    month: int | None = None
    until: date | None = None
    count: int | None = None  # occurrences left for this version of the schedule

    def rule(self) -> rrule:
        options: dict[str, object] = {
            "dtstart": datetime.combine(self.start, time()),
            "interval": self.interval,
        }
        if self.until is not None:
            options["until"] = datetime.combine(self.until, time())
        if self.count is not None:
            options["count"] = self.count
        if self.frequency == "weekly":
            options["byweekday"] = self.start.weekday() if self.weekday is None else self.weekday
        if self.frequency in ("monthly", "yearly"):
            day = self.start.day if self.month_day is None else self.month_day
            if day > 28:
                options["bymonthday"], options["bysetpos"] = (day, -1), 1
            else:
                options["bymonthday"] = day
        if self.frequency == "yearly":
            options["bymonth"] = self.start.month if self.month is None else self.month
        return rrule(FREQ[self.frequency], **options)

    def dates(self, after: date | None = None) -> Iterator[date]:
        """Occurrences in order, those after `after` only."""
        for moment in self.rule():
            day = moment.date()
            if after is None or day > after:
                yield day

    def between(self, after: date | None, through: date, limit: int = 1000) -> list[date]:
        """Occurrences in (after, through], at most `limit`, in order."""
        return list(islice(self._until(after, through), limit))

    def _until(self, after: date | None, through: date) -> Iterator[date]:
        for day in self.dates(after):
            if day > through:
                return
            yield day

    def first(self) -> date | None:
        return next(self.dates(), None)
