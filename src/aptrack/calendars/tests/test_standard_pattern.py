"""The standard pattern a fresh database starts with (`calendars.0002`, from its own data files)
is the one the engine's tests build their calendar from (`tests/standard.py`)."""

import pytest

from aptrack.calendars.models import ClosureDay, TermPeriod
from aptrack.calendars.tests.standard import BANK_HOLIDAYS, HALF_TERMS

pytestmark = pytest.mark.django_db


def test_the_standard_half_terms_and_bank_holidays_are_loaded():
    terms = TermPeriod.objects.filter(local_authority=None).order_by("start_date")
    assert [(t.academic_year, t.name, t.start_date, t.end_date) for t in terms] == [
        (year, name, start, end)
        for year, periods in HALF_TERMS.items()
        for name, start, end in periods
    ]
    days = ClosureDay.objects.filter(local_authority=None).order_by("date")
    assert [(d.date, d.kind, d.description) for d in days] == [
        (day, "BANK_HOLIDAY", description) for day, description in BANK_HOLIDAYS
    ]
