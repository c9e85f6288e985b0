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
    TermPeriod.objects.create(
        local_authority=dorset,
        academic_year=2026,
        name="Autumn 1",
        start_date=dt.date(2026, 9, 3),
        end_date=dt.date(2026, 10, 30),
    )
    calendar = get_calendar(la_id=dorset.pk)
    assert calendar.is_school_day(dt.date(2026, 10, 28))  # standard half term, but Dorset's term
    assert not calendar.is_school_day(dt.date(2026, 11, 23))  # Dorset recorded no Autumn 2
    assert calendar.is_school_day(dt.date(2025, 11, 24))  # other years keep the standard pattern


def test_calendars_read_together_are_each_las_own(django_assert_num_queries):
    from aptrack.calendars.selectors import get_calendars

    dorset, hackney, kent = la("838"), la("204"), la("886")
    TermPeriod.objects.create(
        local_authority=dorset,
        academic_year=2026,
        name="Autumn 1",
        start_date=dt.date(2026, 9, 3),
        end_date=dt.date(2026, 10, 30),
    )
    ClosureDay.objects.create(local_authority=hackney, date=dt.date(2026, 11, 23), kind="INSET")
    ClosureDay.objects.create(local_authority=None, date=dt.date(2026, 11, 24), kind="OTHER")
    with django_assert_num_queries(2):
        together = get_calendars(la_ids=[dorset.pk, hackney.pk, kent.pk])
    for authority in (dorset, hackney, kent):
        alone = get_calendar(la_id=authority.pk)
        days = [dt.date(2025, 9, 1) + dt.timedelta(days=n) for n in range(730)]
        assert [together[authority.pk].is_school_day(d) for d in days] == [
            alone.is_school_day(d) for d in days
        ]
    assert not together[hackney.pk].is_school_day(dt.date(2026, 11, 23))
    assert together[kent.pk].is_school_day(dt.date(2026, 11, 23))
    assert not together[kent.pk].is_school_day(dt.date(2026, 11, 24))  # a national closure
    assert together[dorset.pk].is_school_day(dt.date(2026, 10, 28))  # Dorset's own term
