"""Loading an LA's school calendar: its own term dates for a year where recorded, else the
standard pattern; national closure days plus the LA's own."""

import datetime as dt

from django.db.models import Q

from aptrack.calendars.engine import SchoolCalendar
from aptrack.calendars.models import ClosureDay, TermPeriod


def get_calendar(*, la_id: int | None) -> SchoolCalendar:
    periods = TermPeriod.objects.filter(Q(local_authority__isnull=True) | Q(local_authority_id=la_id))
    local_years = {p.academic_year for p in periods if p.local_authority_id is not None}
    terms = [
        (p.start_date, p.end_date)
        for p in periods
        if p.local_authority_id is not None or p.academic_year not in local_years
    ]
    closures = ClosureDay.objects.filter(
        Q(local_authority__isnull=True) | Q(local_authority_id=la_id)
    ).values_list("date", flat=True)
    return SchoolCalendar.build(terms, closures)


def list_term_periods(*, la_id: int | None, academic_year: int) -> list[TermPeriod]:
    local = list(TermPeriod.objects.filter(local_authority_id=la_id, academic_year=academic_year).order_by("start_date"))
    if local:
        return local
    return list(TermPeriod.objects.filter(local_authority__isnull=True, academic_year=academic_year).order_by("start_date"))


def list_closures(*, la_id: int | None, start: dt.date, end: dt.date) -> list[ClosureDay]:
    return list(
        ClosureDay.objects.filter(Q(local_authority__isnull=True) | Q(local_authority_id=la_id), date__range=(start, end))
        .order_by("date")
    )
