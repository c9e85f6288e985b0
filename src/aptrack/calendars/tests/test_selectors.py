import datetime as dt

import pytest

from aptrack.calendars.models import ClosureDay, TermPeriod
from aptrack.calendars.selectors import get_calendar
from aptrack.organisations.tests.factories import la

pytestmark = pytest.mark.django_db


def test_standard_pattern_is_loaded_for_every_la():
    calendar = get_calendar(la_id=la("838").pk)
    assert calendar.is_school_day(dt.date(2026, 11, 23))
    assert not calendar.is_school_day(dt.date(2026, 12, 25))


def test_an_la_closure_day_applies_to_that_la_only():
    dorset, hackney = la("838"), la("204")
    ClosureDay.objects.create(local_authority=dorset, date=dt.date(2026, 11, 23), kind="INSET")
    assert not get_calendar(la_id=dorset.pk).is_school_day(dt.date(2026, 11, 23))
    assert get_calendar(la_id=hackney.pk).is_school_day(dt.date(2026, 11, 23))


def test_an_la_s_own_terms_replace_the_standard_pattern_for_that_year():
    dorset = la("838")
    TermPeriod.objects.create(local_authority=dorset, academic_year=2026, name="Autumn 1",
                              start_date=dt.date(2026, 9, 3), end_date=dt.date(2026, 10, 30))
    calendar = get_calendar(la_id=dorset.pk)
    assert calendar.is_school_day(dt.date(2026, 10, 28))  # standard half term, but Dorset's term
    assert not calendar.is_school_day(dt.date(2026, 11, 23))  # Dorset recorded no Autumn 2
    assert calendar.is_school_day(dt.date(2025, 11, 24))  # other years keep the standard pattern
