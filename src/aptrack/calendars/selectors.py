"""Loading an LA's school calendar: its own term dates for a year where recorded, else the
standard pattern; national closure days plus the LA's own."""

import datetime as dt
from collections.abc import Collection, Iterable

from django.db.models import Q

from aptrack.calendars.engine import SchoolCalendar
from aptrack.calendars.models import ClosureDay, TermPeriod


def get_calendar(*, la_id: int | None) -> SchoolCalendar:
    return get_calendars(la_ids=[la_id])[la_id]


def get_calendars(*, la_ids: Collection[int | None]) -> dict[int | None, SchoolCalendar]:
    """Each LA's calendar (None: the standard one) from one read of term dates and one of closure
    days for them all (the national and regional view checks every LA's sixth days)."""
    ids = set(la_ids)
    periods = list(
        TermPeriod.objects.filter(Q(local_authority__isnull=True) | Q(local_authority_id__in=ids))
    )
    closures: dict[int | None, list[dt.date]] = {}
    for la_id, date in ClosureDay.objects.filter(
        Q(local_authority__isnull=True) | Q(local_authority_id__in=ids)
    ).values_list("local_authority_id", "date"):
        closures.setdefault(la_id, []).append(date)
    return {
        la_id: _calendar(
            la_id,
            [p for p in periods if p.local_authority_id in (None, la_id)],
            closures.get(None, []) + (closures.get(la_id, []) if la_id is not None else []),
        )
        for la_id in ids
    }


def _calendar(
    la_id: int | None, periods: list[TermPeriod], closures: Iterable[dt.date]
) -> SchoolCalendar:
    """The LA's own term dates for a year where it has any, else the standard ones."""
    local_years = {
        p.academic_year for p in periods if la_id is not None and p.local_authority_id == la_id
    }
    terms = [
        (p.start_date, p.end_date)
        for p in periods
        if p.local_authority_id is not None or p.academic_year not in local_years
    ]
    return SchoolCalendar.build(terms, closures)


def list_term_periods(*, la_id: int | None, academic_year: int) -> list[TermPeriod]:
    local = list(
        TermPeriod.objects.filter(local_authority_id=la_id, academic_year=academic_year).order_by(
            "start_date"
        )
    )
    if local:
        return local
    return list(
        TermPeriod.objects.filter(
            local_authority__isnull=True, academic_year=academic_year
        ).order_by("start_date")
    )


def list_closures(*, la_id: int | None, start: dt.date, end: dt.date) -> list[ClosureDay]:
    return list(
        ClosureDay.objects.filter(
            Q(local_authority__isnull=True) | Q(local_authority_id=la_id), date__range=(start, end)
        ).order_by("date")
    )
