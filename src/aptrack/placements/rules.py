"""The rules every count of placements is made by, each written once (docs/rules.md).

The caseworker's lists, the LA dashboard and its drill-downs, the committee pack, the national
view, the AP census and the alerts all decide "whose placement", "overdue review", "drift",
"moved" and "part-time" here. Each rule is a query condition (a ``Q`` or an expression), so a
dashboard counts it in SQL with ``Count(filter=...)`` and a list filters by the same condition;
where a page needs the reason for one placement, a pure function beside it reads the same
fields. Every date is passed in: nothing here reads the clock.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterable
from decimal import Decimal
from functools import reduce

from django.db.models import DateField, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

# The LA a placement answers to is decided with the child (their home LA), so the rule lives
# in `children.answering_la`, which children's own scoping reads without importing placements;
# it is part of these rules, and callers read it here.
from aptrack.children.answering_la import answering_la as answering_la
from aptrack.children.answering_la import child_la_placements_q as child_la_placements_q
from aptrack.children.answering_la import la_placements_q as la_placements_q
from aptrack.children.answering_la import las_placements_q as las_placements_q
from aptrack.placements import policy
from aptrack.placements.models import Placement, Review
from aptrack.placements.states import PlacementStatus

ACTIVE = PlacementStatus.ACTIVE
# Statuses in which a placement has run (or is running): planned ones have not started and
# cancelled ones never did.
RAN = (PlacementStatus.ACTIVE, PlacementStatus.ENDED)


# --- the LA's placements ------------------------------------------------------------------------


def running_on_q(on: dt.date, *, prefix: str = "") -> Q:
    """A placement runs on a day when it has started (active or since ended) by that day and
    has not ended before it: the child is in AP that day."""
    return Q(**{f"{prefix}status__in": RAN, f"{prefix}start_date__lte": on}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": on})
    )


def ran_between_q(start: dt.date, end: dt.date) -> Q:
    """A placement ran on at least one day from `start` to `end`."""
    return Q(status__in=RAN, start_date__lte=end) & (
        Q(end_date__isnull=True) | Q(end_date__gte=start)
    )


def la_placements(la_id: int, *, on: dt.date | None = None) -> QuerySet[Placement]:
    """The placements the LA answers for (`la_placements_q`); with `on`, those running that day."""
    placements = Placement.objects.filter(la_placements_q(la_id))
    return placements.filter(running_on_q(on)) if on is not None else placements


def answering_la_id(placement: Placement) -> int:
    """`answering_la()` for one placement in hand (its child loaded)."""
    return placement.commissioning_la_id or placement.child.home_la_id


def answering_la_ids(*, child_ids: Iterable[int]) -> set[int]:
    """The LAs answering for any placement of these children (`la_placements_q`)."""
    ids = list(child_ids)
    if not ids:
        return set()
    found = (
        Placement.objects.filter(child_id__in=ids)
        .annotate(la=answering_la())
        .values_list("la", flat=True)
    )
    return {la_id for la_id in found.distinct() if la_id is not None}


def answering_la_sql(*columns: str) -> str:
    """`answering_la()` for raw, set-based SQL (the weekly rollups): a SELECT of every
    placement's `id`, the given columns of the placement and its `answering_la_id`, compiled
    from the one expression above, to join as a table (`JOIN (...) p ON p.id = ...`). It has no
    parameters; the databases fold it into the outer statement, so it costs no more than
    joining the two tables by hand."""
    chosen = Placement.objects.annotate(answering_la_id=answering_la()).values(
        "id", *columns, "answering_la_id"
    )
    sql, params = chosen.query.sql_with_params()
    assert not params  # noqa: S101 - no filters, so nothing to bind
    return sql


# --- overdue review -------------------------------------------------------------------------------


def with_review_base(placements: QuerySet[Placement]) -> QuerySet[Placement]:
    """Annotate the last review's date, and the date the review cadence runs from (the last
    review, or the start when there has been none). `overdue_review_q` needs it."""
    last = (
        Review.objects.filter(placement=OuterRef("pk"))
        .order_by("-held_date", "-pk")
        .values("held_date")[:1]
    )
    return placements.annotate(
        last_review_date=Subquery(last, output_field=DateField()),
    ).annotate(review_base=Coalesce("last_review_date", "start_date", output_field=DateField()))


def overdue_review_q(on: dt.date) -> Q:
    """A review is overdue when an active placement's last review (or, with none, its start)
    plus its tier's cadence (`policy.review_cadence_days`, six weeks by default) is before `on`:
    on the due day itself it is not yet overdue. Commissioners review with the provider at
    least half-termly (*Arranging alternative provision*, 2025; domain.md §1 and requirement 5).
    Needs `with_review_base`."""
    late = [
        (Q(tier__isnull=True) if tier is None else Q(tier=tier))
        & Q(review_base__lt=on - dt.timedelta(days=days))
        for tier, days in policy.all_review_cadences().items()
    ]
    return Q(status=ACTIVE) & reduce(operator.or_, late)


def next_review_due(
    *,
    last_review: dt.date | None,
    start_date: dt.date,
    tier: int | None,
    planned_end_date: dt.date | None,
    on: dt.date,
) -> dt.date | None:
    """When the next review falls due (`policy.review_due_date`), or None when that day comes
    after the placement's planned end: it ends before another review. A review already
    overdue on `on` (`overdue_review_q`) stays due, whatever the planned end."""
    due = policy.review_due_date(last_review, start_date, tier)
    if planned_end_date is not None and due > planned_end_date and due >= on:
        return None
    return due


# --- drift ----------------------------------------------------------------------------------------


def open_ended_q() -> Q:
    """An open-ended placement has no planned end date."""
    return Q(planned_end_date__isnull=True)


def past_planned_end_q(on: dt.date) -> Q:
    """Still running after its planned end date (any tier): it was neither ended nor extended."""
    return Q(planned_end_date__lt=on)


def past_maximum_q(on: dt.date) -> Q:
    """Still running after the tier's maximum length (`policy.maximum_end_date`: 12 weeks for
    a tier 2 placement with a non-school provider by default; other tiers have none)."""
    return Q(maximum_end_date__lt=on)


def unjustified_open_ended_q() -> Q:
    """Open-ended without a recorded justification (the plan service records one only as
    approved by an LA manager)."""
    return open_ended_q() & Q(open_ended_justification="")


def drift_q(on: dt.date) -> Q:
    """An active placement drifts when it runs past its planned end, past its tier's maximum
    length, or is open-ended without a justification. AP is "an intervention, not a
    destination" (SEND and AP improvement plan, domain.md §4); the thematic review names
    open-ended placements without success criteria or exit strategy and extended placements
    (seed 002); time limits on placements (DfE consultation 2024, domain.md §2)."""
    return Q(status=ACTIVE) & (
        past_planned_end_q(on) | past_maximum_q(on) | unjustified_open_ended_q()
    )


OPEN_ENDED = "Open-ended without a justification"
PAST_PLANNED_END = "Past its planned end"
PAST_MAXIMUM = "Past its maximum length"


def drift_reasons(placement: Placement, on: dt.date) -> list[str]:
    """Why `drift_q` holds for one placement (empty when it does not)."""
    if placement.status != ACTIVE:
        return []
    reasons = []
    if placement.planned_end_date is None and not placement.open_ended_justification:
        reasons.append(OPEN_ENDED)
    if placement.planned_end_date is not None and placement.planned_end_date < on:
        reasons.append(PAST_PLANNED_END)
    if placement.maximum_end_date is not None and placement.maximum_end_date < on:
        reasons.append(PAST_MAXIMUM)
    return reasons


# --- placement moves ------------------------------------------------------------------------------


def moved_q(start: dt.date, end: dt.date) -> Q:
    """A placement move: a placement that started from `start` to `end` for a child whose
    earlier placement (with any commissioner) had ended by the day it started. Two placements
    running side by side are concurrent provision, not a move. Placement moves disrupt
    children (thematic review, seed 002)."""
    earlier = Placement.objects.filter(
        child_id=OuterRef("child_id"),
        status__in=RAN,
        start_date__lt=OuterRef("start_date"),
        end_date__isnull=False,
        end_date__lte=OuterRef("start_date"),
    ).exclude(pk=OuterRef("pk"))
    return Q(status__in=RAN, start_date__gte=start, start_date__lte=end) & Q(Exists(earlier))


# --- part-time ------------------------------------------------------------------------------------


def is_part_time(weekly_hours: Decimal, stage: str) -> bool:
    """A child's week is part-time when their hours across all their provision (this
    placement, concurrent placements and hours at the home school) are below full-time for
    their key stage (`policy.full_time_hours`; about 21 to 25 hours, LGSCO, domain.md §1).
    Part-time timetables are exceptional, agreed with parents, time-limited and reviewed
    (*Working together to improve school attendance*, domain.md §1)."""
    return weekly_hours < policy.full_time_hours(stage)


def part_time_q() -> Q:
    """A placement on a part-time timetable: its plan records one. The plan service records
    the part-time timetable exactly when `is_part_time` holds for the child's week and clears
    it when the week is full-time, so this is `is_part_time` as the plan was last agreed."""
    return ~Q(part_time_reason="")
