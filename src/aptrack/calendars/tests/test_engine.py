import datetime as dt

import pytest

from aptrack.calendars import deadlines
from aptrack.calendars.engine import OutsideKnownTerms, SchoolCalendar
from aptrack.calendars.tests.standard import BANK_HOLIDAYS, HALF_TERMS

D = dt.date
CALENDAR = SchoolCalendar.build(
    [(start, end) for periods in HALF_TERMS.values() for _, start, end in periods],
    [day for day, _ in BANK_HOLIDAYS],
)


def test_weekends_holidays_and_bank_holidays_are_not_school_days():
    assert CALENDAR.is_school_day(D(2026, 11, 23))  # Monday in term
    assert not CALENDAR.is_school_day(D(2026, 11, 22))  # Sunday
    assert not CALENDAR.is_school_day(D(2026, 10, 28))  # half term
    assert not CALENDAR.is_school_day(D(2026, 5, 4))  # early May bank holiday, in term


@pytest.mark.parametrize(
    ("first_day", "sixth"),
    [
        (D(2026, 11, 23), D(2026, 11, 30)),  # Monday: day 6 is the next Monday
        (D(2026, 11, 27), D(2026, 12, 4)),  # Friday
        (D(2026, 10, 21), D(2026, 11, 4)),  # Wednesday before half term: 3 days, then 3 more
        (D(2026, 12, 15), D(2027, 1, 5)),  # over Christmas: 15-18 Dec, then 4 and 5 Jan
        (D(2026, 4, 29), D(2026, 5, 7)),  # over the early May bank holiday
        (D(2026, 10, 24), D(2026, 11, 9)),  # exclusion starting on a Saturday counts from Monday
    ],
)
def test_sixth_day_duty_counts_the_first_day_as_day_one(first_day, sixth):
    assert deadlines.sixth_day(CALENDAR, first_day) == sixth


def test_sixth_day_deadline_met_or_missed():
    due = D(2026, 11, 30)
    assert deadlines.sixth_day_deadline(CALENDAR, D(2026, 11, 23), D(2026, 11, 30)).met is True
    missed = deadlines.sixth_day_deadline(CALENDAR, D(2026, 11, 23), D(2026, 12, 1))
    assert missed.met is False and missed.due_date == due
    pending = deadlines.sixth_day_deadline(CALENDAR, D(2026, 11, 23), None)
    assert pending.met is None
    assert not pending.is_missed(D(2026, 11, 30))
    assert pending.is_missed(D(2026, 12, 1))


def test_illness_trigger_and_fair_access():
    assert deadlines.illness_trigger(CALENDAR, D(2026, 11, 2)) == D(2026, 11, 20)
    assert deadlines.fair_access_deadline(CALENDAR, D(2026, 11, 23)) == D(2027, 1, 4)


def test_counting_school_days():
    assert CALENDAR.count_school_days(D(2026, 11, 23), D(2026, 11, 29)) == 5
    assert (
        CALENDAR.count_school_days(D(2025, 9, 1), D(2026, 8, 31)) == 195 - 1
    )  # 195 term days (190 + 5 INSET an LA records) less the May bank holiday


def test_beyond_known_terms_is_an_error_not_a_guess():
    with pytest.raises(OutsideKnownTerms):
        CALENDAR.nth_school_day(D(2028, 7, 15), 10)


def test_a_day_is_in_term_exactly_when_some_term_covers_it_even_if_terms_overlap():
    import random

    rng = random.Random(6)
    base = D(2026, 1, 1)
    for _ in range(200):
        terms = []
        for _ in range(rng.randint(0, 6)):
            start = base + dt.timedelta(days=rng.randint(0, 120))
            terms.append((start, start + dt.timedelta(days=rng.randint(0, 40))))
        calendar = SchoolCalendar(terms=tuple(terms), closures=frozenset())  # unsorted, overlapping
        for offset in range(-5, 170):
            day = base + dt.timedelta(days=offset)
            assert calendar.in_term(day) == any(start <= day <= end for start, end in terms), (
                terms,
                day,
            )
        assert calendar.last_known_day == max((end for _, end in terms), default=None)
