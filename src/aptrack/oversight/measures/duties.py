"""The sixth-day duty, attendance and outcomes, each read through its own app's selectors.

- Sixth day (domain.md §5): permanently excluded children whose sixth school day fell in the
  period so far, and whether each duty was met or missed, are the referrals app's one rule
  (``list_sixth_day_duties_by_la``: term dates, late starts, withdrawn exclusions).
- Attendance: the attendance app's measures over the LA's weekly rollups (``get_measures``,
  ``list_measures``); a child counts when they had at least one possible session.
- Outcomes: children whose placement ended in the period, by destination; reintegration is a
  return to a mainstream school (home or new), out of all those children; English and maths
  come from the outcomes app (grade 4 or above in both, of the children with a KS4 result).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from django.db.models import F, Q, QuerySet

from aptrack.attendance import selectors as attendance
from aptrack.attendance.models import PlacementWeek
from aptrack.attendance.scopes import Grouping, Scope
from aptrack.attendance.scopes import Period as AttendancePeriod
from aptrack.children.models import Child
from aptrack.organisations.models import Organisation
from aptrack.oversight.measures.activity import ended
from aptrack.oversight.measures.base import (
    NONE_VALUE,
    Context,
    UnknownValue,
    children_of,
    distinct_children,
    drill,
    drilldown,
    int_value,
    percent,
)
from aptrack.oversight.measures.catalogue import CATALOGUE, Breakdown, Figure, Row
from aptrack.oversight.measures.periods import Period
from aptrack.placements.models import Destination
from aptrack.providers.models import REGISTERED_KINDS
from aptrack.referrals import selectors as referral_selectors
from aptrack.referrals.selectors import (
    list_fair_access_deadlines,
)

LABELS = dict(CATALOGUE)
MAINSTREAM = (Destination.HOME_SCHOOL, Destination.NEW_MAINSTREAM)
NOT_IN_EDUCATION = (Destination.NEET, Destination.CME)


# --- sixth day -----------------------------------------------------------------------------------


def sixth_day_children_by_la(
    *, la_ids: Collection[int], period: Period, today: dt.date
) -> dict[int, tuple[set[int], set[int]]]:
    """For each LA with any: (children whose sixth school day fell in the period so far, those
    of them whose duty was missed), from the referrals app's one rule
    (`referrals.selectors.list_sixth_day_duties_by_la`), each LA's days counted on its own
    calendar. A few reads whatever the number of LAs, so the national view checks every LA as
    the dashboard does."""
    to_date = period.to_date(today)
    if to_date < period.start:
        return {}
    found = referral_selectors.list_sixth_day_duties_by_la(
        la_ids=la_ids, on=today, due_from=period.start, due_to=to_date
    )
    return {
        la_id: ({d.child.pk for d in duties}, {d.child.pk for d in duties if d.missed})
        for la_id, duties in found.items()
    }


def _sixth_day_children(ctx: Context) -> tuple[set[int], set[int]]:
    """(children whose sixth day fell in the period so far, those of them without provision by it)."""
    found = sixth_day_children_by_la(la_ids=[ctx.la_id], period=ctx.period, today=ctx.today)
    return found.get(ctx.la_id, (set(), set()))


def sixth_day(ctx: Context) -> list[Figure]:
    due, missed = _sixth_day_children(ctx)
    met = len(due - missed)
    return [
        Figure(
            "permanent_exclusions",
            LABELS["permanent_exclusions"],
            len(due),
            "count",
            len(due),
            drill("permanent_exclusions"),
        ),
        Figure(
            "sixth_day_compliance",
            LABELS["sixth_day_compliance"],
            percent(met, len(due)),
            "percent",
            met,
            drill("sixth_day_compliance"),
            of=len(due),
        ),
        Figure(
            "sixth_day_missed",
            LABELS["sixth_day_missed"],
            len(missed),
            "count",
            len(missed),
            drill("sixth_day_missed"),
        ),
    ]


@drilldown("permanent_exclusions", "sixth_day_compliance", "sixth_day_missed")
def _sixth_day_drill(ctx: Context, value: str | None, *, key: str) -> QuerySet[Child]:
    due, missed = _sixth_day_children(ctx)
    ids = {
        "permanent_exclusions": due,
        "sixth_day_compliance": due - missed,
        "sixth_day_missed": missed,
    }[key]
    return Child.objects.filter(pk__in=ids)


# --- Fair Access ---------------------------------------------------------------------------------


def _fair_access_children(ctx: Context) -> tuple[set[int], set[int], set[int]]:
    """(children whose Fair Access deadline fell in the period so far, those placed by it, those
    not), from the referrals app's one rule (``list_fair_access_deadlines``)."""
    rows = [
        row
        for row in list_fair_access_deadlines(la_id=ctx.la_id, on=ctx.today)
        if row.due_date is not None and ctx.period.start <= row.due_date <= ctx.to_date
    ]
    due = {row.referral.child_id for row in rows}
    met = {row.referral.child_id for row in rows if row.met}
    missed = {row.referral.child_id for row in rows if row.is_missed(ctx.today)}
    return due, met, missed


def fair_access(ctx: Context) -> list[Figure]:
    due, met, missed = _fair_access_children(ctx)
    return [
        Figure(
            "fair_access_due",
            LABELS["fair_access_due"],
            len(due),
            "count",
            len(due),
            drill("fair_access_due"),
        ),
        Figure(
            "fair_access_met",
            LABELS["fair_access_met"],
            len(met),
            "count",
            len(met),
            drill("fair_access_met"),
            of=len(due),
        ),
        Figure(
            "fair_access_missed",
            LABELS["fair_access_missed"],
            len(missed),
            "count",
            len(missed),
            drill("fair_access_missed"),
            of=len(due),
        ),
    ]


@drilldown("fair_access_due", "fair_access_met", "fair_access_missed")
def _fair_access_drill(ctx: Context, value: str | None, *, key: str) -> QuerySet[Child]:
    due, met, missed = _fair_access_children(ctx)
    ids = {"fair_access_due": due, "fair_access_met": met, "fair_access_missed": missed}[key]
    return Child.objects.filter(pk__in=ids)


# --- attendance ----------------------------------------------------------------------------------


def _attendance_period(ctx: Context) -> AttendancePeriod | None:
    if ctx.to_date < ctx.period.start:
        return None
    return AttendancePeriod(ctx.period.start, ctx.to_date, ctx.period.label)


def attendance_measures(ctx: Context) -> tuple[list[Figure], list[Breakdown]]:
    period = _attendance_period(ctx)
    scope = Scope.la(ctx.la_id)
    if period is None:
        return [
            Figure("attendance_rate", LABELS["attendance_rate"], None, "percent", 0, None),
            Figure("persistent_absence", LABELS["persistent_absence"], None, "count", 0, None),
        ], []
    measured = attendance.get_provider_measures(scope=scope, period=period)
    overall = measured.overall
    figures = [
        Figure(
            "attendance_rate",
            LABELS["attendance_rate"],
            overall.rates.attendance,
            "percent",
            overall.children,
            drill("attendance_rate") if overall.children else None,
        ),
        Figure(
            "persistent_absence",
            LABELS["persistent_absence"],
            overall.persistent,
            "count",
            overall.persistent,
            drill("persistent_absence"),
            of=overall.children,
        ),
    ]
    by_type = [
        Row(
            label="Registered (school) providers"
            if m.key
            else "Unregistered (non-school) providers",
            value=m.rates.attendance,
            count=m.children,
            drilldown=drill("attendance_by_provider_type", "registered" if m.key else "non_school"),
        )
        for m in sorted(measured.by_type, key=lambda m: not m.key)
        if m.rates.attendance is not None
    ]
    by_provider_rates = [
        (m, m.rates.attendance) for m in measured.by_provider if m.rates.attendance is not None
    ]
    names = dict(
        Organisation.objects.filter(pk__in=[m.key for m, _ in by_provider_rates]).values_list(
            "pk", "name"
        )
    )
    by_provider = sorted(
        (
            Row(
                label=names.get(m.key, "Unknown provider"),
                value=rate,
                count=m.children,
                drilldown=drill("attendance_by_provider", m.key),
            )
            for m, rate in by_provider_rates
        ),
        key=lambda r: (r.value, r.label),
    )
    note = "Sessions attended (present or approved educational activity) out of possible sessions."
    return figures, [
        Breakdown(
            "attendance_by_provider_type",
            "Attendance by type of provider",
            "percent",
            by_type,
            "bar",
            note,
        ),
        Breakdown(
            "attendance_by_provider",
            "Attendance by provider, lowest first",
            "percent",
            by_provider,
            "bar",
            note,
        ),
    ]


def _weeks_with_sessions(ctx: Context) -> QuerySet[PlacementWeek]:
    """The LA's weekly rollups in the period with at least one possible session."""
    period = _attendance_period(ctx)
    if period is None:
        return PlacementWeek.objects.none()
    possible = F("present") + F("aea") + F("authorised") + F("unauthorised")
    return PlacementWeek.objects.alias(possible=possible).filter(
        local_authority_id=ctx.la_id,
        week_start_date__gte=period.first_week,
        week_start_date__lte=period.end_date,
        possible__gt=0,
    )


@drilldown(
    "attendance_rate", "attendance_by_provider_type", "attendance_by_provider", "persistent_absence"
)
def _attendance_drill(ctx: Context, value: str | None, *, key: str) -> QuerySet[Child]:
    weeks = _weeks_with_sessions(ctx)
    if key == "attendance_by_provider":
        weeks = weeks.filter(provider_id=int_value(value))
    elif key == "attendance_by_provider_type":
        if value not in ("registered", "non_school"):
            raise UnknownValue(value)
        registered = Organisation.objects.filter(provider__kind__in=REGISTERED_KINDS).values("pk")
        weeks = (
            weeks.filter(provider_id__in=registered)
            if value == "registered"
            else weeks.exclude(provider_id__in=registered)
        )
    elif key == "persistent_absence":
        period = _attendance_period(ctx)
        if period is None:
            return Child.objects.none()
        by_child = attendance.list_measures(
            scope=Scope.la(ctx.la_id), period=period, by=Grouping.CHILD
        )
        return Child.objects.filter(pk__in=[m.key for m in by_child if m.persistent])
    return children_of(weeks)


# --- outcomes ------------------------------------------------------------------------------------


def _english_maths(ctx: Context) -> Figure:
    """Grade 4 or above in English and maths, of the children with a KS4 result, counted with
    the outcomes app's own definitions (one query; the other outcome measures are not read)."""
    try:
        from aptrack.outcomes.selectors import MEASURES, annotate_outcomes
    except ImportError:  # the outcomes app is not there yet
        return Figure("english_maths", LABELS["english_maths"], None, "percent", None, None)
    totals = annotate_outcomes(ended(ctx)).aggregate(
        results=distinct_children(MEASURES["ks4_results"].condition),
        passed=distinct_children(MEASURES["ks4_grade_4_both"].condition),
    )
    return Figure(
        "english_maths",
        LABELS["english_maths"],
        percent(totals["passed"], totals["results"]),
        "percent",
        totals["passed"],
        drill("english_maths") if totals["results"] else None,
        of=totals["results"],
    )


@drilldown("english_maths")
def _english_maths_drill(ctx: Context, value: str | None, *, key: str) -> QuerySet[Child]:
    from aptrack.outcomes.selectors import placements_for_outcome

    return children_of(placements_for_outcome("ks4_grade_4_both", ended(ctx)))


def outcomes(ctx: Context) -> tuple[list[Figure], list[Breakdown]]:
    leavers = ended(ctx)
    totals: dict[str, Any] = leavers.aggregate(
        left=distinct_children(),
        mainstream=distinct_children(Q(destination__in=MAINSTREAM)),
        not_in_education=distinct_children(Q(destination__in=NOT_IN_EDUCATION)),
    )
    figures = [
        Figure(
            "reintegration_rate",
            LABELS["reintegration_rate"],
            percent(totals["mainstream"], totals["left"]),
            "percent",
            totals["mainstream"],
            drill("reintegration_rate"),
            of=totals["left"],
        ),
        _english_maths(ctx),
        Figure(
            "neet_destinations",
            LABELS["neet_destinations"],
            totals["not_in_education"],
            "count",
            totals["not_in_education"],
            drill("neet_destinations"),
            of=totals["left"],
        ),
    ]
    labels = dict(Destination.choices)
    order = list(labels)
    rows = sorted(
        (
            (
                data["destination"],
                Row(
                    label=str(labels.get(data["destination"], "Not recorded")),
                    value=data["children"],
                    count=data["children"],
                    drilldown=drill("destinations", data["destination"] or NONE_VALUE),
                ),
            )
            for data in leavers.values("destination")
            .annotate(children=distinct_children())
            .order_by()
        ),
        key=lambda pair: order.index(pair[0]) if pair[0] in order else len(order),
    )
    return figures, [
        Breakdown(
            "destinations",
            "Destinations of children whose placement ended",
            "count",
            [row for _, row in rows],
            "bar",
            note="Where the child went when the placement ended, as recorded at the ending.",
        )
    ]


@drilldown("reintegration_rate", "neet_destinations", "destinations")
def _outcome_drill(ctx: Context, value: str | None, *, key: str) -> QuerySet[Child]:
    leavers = ended(ctx)
    if key == "reintegration_rate":
        return children_of(leavers.filter(destination__in=MAINSTREAM))
    if key == "neet_destinations":
        return children_of(leavers.filter(destination__in=NOT_IN_EDUCATION))
    if value == NONE_VALUE:
        return children_of(leavers.filter(destination=""))
    if value not in Destination.values:
        raise UnknownValue(value)
    return children_of(leavers.filter(destination=value))
