"""The s19 illness duty counted cumulatively and the Fair Access 20 school days, at their edges."""

import datetime as dt

import pytest

from aptrack.calendars import deadlines
from aptrack.calendars.engine import SchoolCalendar
from aptrack.calendars.tests.standard import BANK_HOLIDAYS, HALF_TERMS

D = dt.date
CALENDAR = SchoolCalendar.build(
    [(start, end) for periods in HALF_TERMS.values() for _, start, end in periods],
    [day for day, _ in BANK_HOLIDAYS],
)


def _school_days(start: dt.date, count: int) -> list[dt.date]:
    days, day = [], start
    while len(days) < count:
        if CALENDAR.is_school_day(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def test_fifteen_consecutive_days_match_the_consecutive_rule():
    days = _school_days(D(2026, 11, 2), 15)
    assert deadlines.illness_trigger_cumulative(CALENDAR, days) == deadlines.illness_trigger(
        CALENDAR, D(2026, 11, 2)
    )


def test_fourteen_days_is_below_the_duty_and_the_fifteenth_triggers_it():
    days = _school_days(D(2026, 11, 2), 15)
    assert deadlines.illness_trigger_cumulative(CALENDAR, days[:14]) is None
    assert deadlines.illness_trigger_cumulative(CALENDAR, days) == days[-1]


def test_a_child_ill_every_monday_is_flagged_on_the_fifteenth_monday_missed():
    mondays = [D(2026, 9, 7) + dt.timedelta(weeks=n) for n in range(20)]
    school_mondays = [day for day in mondays if CALENDAR.is_school_day(day)]
    # The October half-term and Christmas Mondays are holidays and do not count.
    assert D(2026, 10, 26) in mondays and D(2026, 10, 26) not in school_mondays
    assert deadlines.illness_trigger_cumulative(CALENDAR, mondays) == school_mondays[14]


def test_spells_over_christmas_count_in_any_order_and_repeats_count_once():
    autumn = _school_days(D(2026, 12, 10), 7)  # 10 to 18 December
    spring = _school_days(D(2027, 1, 4), 8)  # from 4 January
    given = list(reversed(spring)) + autumn + autumn[:3]
    assert deadlines.illness_trigger_cumulative(CALENDAR, given) == spring[-1]


@pytest.mark.parametrize(
    "not_a_school_day",
    [
        D(2026, 12, 25),
        D(2026, 12, 28),
        D(2026, 10, 28),
        D(2026, 11, 7),
        D(2026, 11, 8),
        D(2027, 5, 3),
    ],
    ids=["christmas-day", "christmas-holiday", "half-term", "saturday", "sunday", "bank-holiday"],
)
def test_days_that_are_not_school_days_do_not_count(not_a_school_day):
    days = _school_days(D(2026, 11, 9), 14) + [not_a_school_day]
    assert deadlines.illness_trigger_cumulative(CALENDAR, days) is None


def test_sessions_two_make_a_day_so_fourteen_and_a_half_days_is_not_fifteen():
    days = _school_days(D(2026, 9, 7), 15)
    sessions = [(day, session) for day in days for session in ("AM", "PM")]
    assert deadlines.illness_sessions_trigger(CALENDAR, sessions[:-1]) is None  # 14.5 days
    assert deadlines.illness_sessions_trigger(CALENDAR, sessions) == days[-1]
    # Thirty afternoons alone are fifteen days.
    afternoons = [(day, "PM") for day in _school_days(D(2026, 9, 7), 30)]
    assert deadlines.illness_sessions_trigger(CALENDAR, afternoons) == afternoons[-1][0]
    weekend = [(D(2026, 9, 12), "AM"), (D(2026, 9, 12), "PM")]
    assert deadlines.illness_sessions_trigger(CALENDAR, sessions[:-2] + weekend) is None


def test_fair_access_twenty_school_days_met_on_the_day_and_missed_the_day_after():
    due = deadlines.fair_access_deadline(CALENDAR, D(2026, 11, 23))
    assert due == D(2027, 1, 4)  # over Christmas
    assert deadlines.fair_access_placement_deadline(CALENDAR, D(2026, 11, 23), due).met is True
    late = deadlines.fair_access_placement_deadline(CALENDAR, D(2026, 11, 23), D(2027, 1, 5))
    assert late.met is False
    pending = deadlines.fair_access_placement_deadline(CALENDAR, D(2026, 11, 23), None)
    assert not pending.is_missed(due) and pending.is_missed(due + dt.timedelta(days=1))


def test_fair_access_over_half_term_and_a_bank_holiday():
    # Decided Friday 16 October 2026: 5 days to 23 Oct, half term, then 15 more from 2 Nov.
    assert deadlines.fair_access_deadline(CALENDAR, D(2026, 10, 16)) == D(2026, 11, 20)
    # Decided 20 April 2027: the early May bank holiday (3 May) is skipped.
    assert deadlines.fair_access_deadline(CALENDAR, D(2027, 4, 20)) == D(2027, 5, 19)
