"""Clocks and helpers for the alert tests.

The world's child_a (Dorset) is placed with provider X and child_b (Hackney) with provider Z
from Monday 7 September 2026. Autumn 2 2026 runs 2 November to 18 December, so Monday 23
November 2026 is a school day and Saturday 21 November is not.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from aptrack.alerts import services
from aptrack.attendance.loading import MarkRow
from aptrack.attendance.tests.conftest import record_rows

LONDON = ZoneInfo("Europe/London")
MONDAY = dt.date(2026, 11, 23)
THURSDAY = dt.date(2026, 11, 19)
FRIDAY = dt.date(2026, 11, 20)
SATURDAY = dt.date(2026, 11, 21)


def at(day: dt.date, hhmm: str) -> dt.datetime:
    """A Europe/London moment."""
    return dt.datetime.combine(day, dt.time.fromisoformat(hhmm), tzinfo=LONDON)


def mark(world, child, day: dt.date, session: str, code: str, user=None):
    """Record one mark the way a provider does."""
    return record_rows(
        world,
        MarkRow(upn=child.upn, date=day.isoformat(), session=session, code=code),
        user=user,
    )


def marks(world, child, codes_by_session: dict[tuple[dt.date, str], str], user=None):
    rows = [
        MarkRow(upn=child.upn, date=day.isoformat(), session=session, code=code)
        for (day, session), code in codes_by_session.items()
    ]
    return record_rows(world, *rows, user=user)


def check(day: dt.date, hhmm: str) -> services.ChecksReport:
    return services.run_attendance_checks(at=at(day, hhmm))


@pytest.fixture
def checked(world):
    """Monday's 10am check has run: child_a and child_b have whereabouts alerts."""
    return check(MONDAY, "10:00")
