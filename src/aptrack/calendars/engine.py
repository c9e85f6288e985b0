"""Counting school days on a term calendar. Pure Python: no database, no clock."""

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import accumulate

ONE_DAY = dt.timedelta(days=1)


class OutsideKnownTerms(Exception):
    """The calendar has no term dates that far ahead: record the LA's term dates first."""


@dataclass(frozen=True)
class SchoolCalendar:
    """School days are weekdays inside a term period that are not closure days."""

    terms: tuple[tuple[dt.date, dt.date], ...]
    closures: frozenset[dt.date]
    # Derived from the terms, for looking a day up by bisection rather than trying every term:
    # their starts in order, and the latest end among the terms up to each.
    _starts: tuple[dt.date, ...] = field(init=False, repr=False, compare=False)
    _ends_so_far: tuple[dt.date, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.terms))
        object.__setattr__(self, "_starts", tuple(start for start, _ in ordered))
        object.__setattr__(
            self, "_ends_so_far", tuple(accumulate((end for _, end in ordered), max))
        )

    @classmethod
    def build(
        cls, terms: Iterable[tuple[dt.date, dt.date]], closures: Iterable[dt.date]
    ) -> "SchoolCalendar":
        return cls(terms=tuple(sorted(terms)), closures=frozenset(closures))

    @property
    def last_known_day(self) -> dt.date | None:
        return self._ends_so_far[-1] if self._ends_so_far else None

    def in_term(self, day: dt.date) -> bool:
        """Whether a term starting on or before the day ends on or after it."""
        started = bisect_right(self._starts, day)
        return started > 0 and self._ends_so_far[started - 1] >= day

    def is_school_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in self.closures and self.in_term(day)

    def nth_school_day(self, first: dt.date, n: int) -> dt.date:
        """The n-th school day counting from `first` (day 1 is `first` if it is a school day,
        else the next school day)."""
        if n < 1:
            raise ValueError("n counts from 1")
        day, count = first, 0
        last = self.last_known_day
        while True:
            if last is None or day > last:
                raise OutsideKnownTerms(f"No term dates recorded beyond {last}")
            if self.is_school_day(day):
                count += 1
                if count == n:
                    return day
            day += ONE_DAY

    def school_days_after(self, day: dt.date, n: int) -> dt.date:
        """The school day n school days after `day` (not counting `day` itself)."""
        return self.nth_school_day(day + ONE_DAY, n)

    def count_school_days(self, start: dt.date, end: dt.date) -> int:
        """School days from start to end inclusive."""
        total, day = 0, start
        while day <= end:
            total += self.is_school_day(day)
            day += ONE_DAY
        return total
