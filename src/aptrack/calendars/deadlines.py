"""Statutory deadlines counted in school days (domain.md §5)."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from aptrack.calendars.engine import SchoolCalendar

SIXTH_DAY = 6
ILLNESS_TRIGGER_DAYS = 15
FAIR_ACCESS_DAYS = 20


@dataclass(frozen=True)
class Deadline:
    due_date: dt.date
    met: bool | None  # None while the deadline is still ahead and nothing has started
    started_date: dt.date | None

    def is_missed(self, on: dt.date) -> bool:
        if self.met is not None:
            return not self.met
        return on > self.due_date


def sixth_day(calendar: SchoolCalendar, first_day_of_exclusion: dt.date) -> dt.date:
    """Full-time education is owed from the sixth school day of an exclusion, counting the first
    day of the exclusion as day one (SI 2007/1870): for a permanent exclusion the home LA's duty,
    for a suspension of more than five days the school's."""
    return calendar.nth_school_day(first_day_of_exclusion, SIXTH_DAY)


def sixth_day_deadline(
    calendar: SchoolCalendar, first_day_of_exclusion: dt.date, provision_started: dt.date | None
) -> Deadline:
    due = sixth_day(calendar, first_day_of_exclusion)
    met = None if provision_started is None else provision_started <= due
    return Deadline(due_date=due, met=met, started_date=provision_started)


def illness_trigger(calendar: SchoolCalendar, first_day_missed: dt.date) -> dt.date:
    """The LA acts once it is clear a child will miss 15 school days through illness (s19):
    the fifteenth school day from the first day missed."""
    return calendar.nth_school_day(first_day_missed, ILLNESS_TRIGGER_DAYS)


def illness_trigger_cumulative(
    calendar: SchoolCalendar, days_missed: Iterable[dt.date]
) -> dt.date | None:
    """The fifteenth school day a child missed through illness, counting missed days whether
    consecutive or cumulative (DfE, *Arranging education for children who cannot attend school
    because of health needs*): None below fifteen. The dates may come in any order and may repeat;
    dates that are not school days on this calendar do not count."""
    missed = sorted({day for day in days_missed if calendar.is_school_day(day)})
    return missed[ILLNESS_TRIGGER_DAYS - 1] if len(missed) >= ILLNESS_TRIGGER_DAYS else None


def illness_sessions_trigger(
    calendar: SchoolCalendar, sessions_missed: Iterable[tuple[dt.date, str]]
) -> dt.date | None:
    """The same rule read from a register, where two sessions make a day: the date of the
    thirtieth school-day session missed through illness (14.5 days is not yet 15), or None."""
    missed = sorted(
        {(day, session) for day, session in sessions_missed if calendar.is_school_day(day)}
    )
    needed = ILLNESS_TRIGGER_DAYS * 2
    return missed[needed - 1][0] if len(missed) >= needed else None


def fair_access_deadline(calendar: SchoolCalendar, decided: dt.date) -> dt.date:
    """A Fair Access Protocol place is allocated within 20 school days of the decision."""
    return calendar.school_days_after(decided, FAIR_ACCESS_DAYS)


def fair_access_placement_deadline(
    calendar: SchoolCalendar, decided: dt.date, placed_on: dt.date | None
) -> Deadline:
    """The Fair Access deadline and whether it was met: met when a place started on or before it,
    missed once it passes with none (School Admissions Code 2021, Fair Access Protocols)."""
    due = fair_access_deadline(calendar, decided)
    met = None if placed_on is None else placed_on <= due
    return Deadline(due_date=due, met=met, started_date=placed_on)
