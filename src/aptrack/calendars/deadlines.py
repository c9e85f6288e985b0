"""Statutory deadlines counted in school days (domain.md §5)."""

import datetime as dt
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


def fair_access_deadline(calendar: SchoolCalendar, decided: dt.date) -> dt.date:
    """A Fair Access Protocol place is allocated within 20 school days of the decision."""
    return calendar.school_days_after(decided, FAIR_ACCESS_DAYS)
