"""Who is in AP and where: the cohort (children in AP now, or at any time in the period) broken
down by placement (tier, route, primary reason, provider, type of provider, in or out of area)
and by child (year group, SEN, looked after, FSM, sex, ethnicity).

A placement breakdown counts each group's distinct children with one GROUP BY; a child with two
placements in different groups counts in both, so rows can add up to more than the total. The
child breakdowns come from one GROUP BY over the cohort's children.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import ExtractYear

from aptrack.children import schooling
from aptrack.children.models import Child, Ethnicity, SenStatus, Sex
from aptrack.oversight.measures.base import (
    NONE_VALUE,
    Context,
    UnknownValue,
    children_of,
    cohort_placements,
    distinct_children,
    drill,
    drilldown,
    int_value,
    la_placements,
    placed_in_period,
)
from aptrack.oversight.measures.catalogue import CATALOGUE, Breakdown, Figure, Row
from aptrack.oversight.measures.now import area_la, registered_q
from aptrack.placements import rules
from aptrack.providers.models import ProviderKind
from aptrack.referrals.models import PrimaryReason, Route

NOT_RECORDED = "Not recorded"
NO_REFERRAL = "No referral recorded"
TIER_LABELS = {1: "Tier 1: support in school", 2: "Tier 2: time-limited", 3: "Tier 3: transitional"}
TYPE_LABELS = {
    "registered": "Registered (school) providers",
    "non_school": "Unregistered (non-school) providers",
}
AREA_LABELS = {"in": "In the LA's area", "out": "Out of area"}


# --- by placement ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlacementGroup:
    key: str
    title: str
    expression: Callable[[Context], Any]
    label: Callable[[Any, dict[str, Any]], str]
    parse: Callable[[str], Any]
    ordered: bool = False  # keep the order of values (tiers) rather than largest first
    extra: tuple[str, ...] = ()  # more columns to read with each group (a provider's name)
    note: str = ""
    where: Callable[[Context], Q] | None = None  # only some of the cohort's placements
    none_label: str = NOT_RECORDED  # the row of placements with no value


def _primary_age(ctx: Context) -> Q:
    """Children of primary age (Reception to Year 6) on the cohort's day."""
    youngest_year_7 = schooling.academic_year_start(ctx.as_of) - 5 - 7
    return Q(child__date_of_birth__gte=dt.date(youngest_year_7 + 1, 9, 1))


def _provider_type(ctx: Context) -> Case:
    return Case(
        When(registered_q(), then=Value("registered")),
        default=Value("non_school"),
        output_field=CharField(),
    )


def _area(ctx: Context) -> Case:
    return Case(
        When(area_la__isnull=True, then=Value(None)),
        When(area_la=ctx.la_id, then=Value("in")),
        default=Value("out"),
        output_field=CharField(),
    )


def _choice(value: str, allowed: Any) -> str:
    if value not in {str(v) for v in allowed}:
        raise UnknownValue(value)
    return value


PLACEMENT_GROUPS = [
    PlacementGroup(
        "by_tier",
        "By tier",
        lambda ctx: F("tier"),
        lambda v, _: TIER_LABELS.get(v, f"Tier {v}"),
        int_value,
        ordered=True,
    ),
    PlacementGroup(
        "by_route",
        "By route into AP",
        lambda ctx: F("referral__route"),
        lambda v, _: str(Route(v).label) if v in Route.values else str(v),
        lambda v: _choice(v, Route.values),
        none_label=NO_REFERRAL,
        note="The route of the referral the placement came from. Placements without a referral are "
        "schools' own tier 1 work, or were recorded before referrals were.",
    ),
    PlacementGroup(
        "by_reason",
        "By primary reason",
        lambda ctx: F("referral__primary_reason"),
        lambda v, _: str(PrimaryReason(v).label) if v in PrimaryReason.values else str(v),
        lambda v: _choice(v, PrimaryReason.values),
        none_label=NO_REFERRAL,
    ),
    PlacementGroup(
        "by_provider_type",
        "By type of provider",
        _provider_type,
        lambda v, _: TYPE_LABELS[v],
        lambda v: _choice(v, TYPE_LABELS),
        ordered=True,
    ),
    PlacementGroup(
        "by_provider_kind",
        "By kind of provision",
        lambda ctx: F("provider__provider__kind"),
        lambda v, _: str(ProviderKind(v).label) if v in ProviderKind.values else str(v),
        lambda v: _choice(v, ProviderKind.values),
    ),
    PlacementGroup(
        "primary_by_provider_kind",
        "Primary-age children (Reception to Year 6) by kind of provision",
        lambda ctx: F("provider__provider__kind"),
        lambda v, _: str(ProviderKind(v).label) if v in ProviderKind.values else str(v),
        lambda v: _choice(v, ProviderKind.values),
        where=_primary_age,
    ),
    PlacementGroup(
        "by_area",
        "In or out of area",
        _area,
        lambda v, _: AREA_LABELS[v],
        lambda v: _choice(v, AREA_LABELS),
        ordered=True,
        note="Where the placement is delivered: its site's LA, else the provider's home LA.",
    ),
    PlacementGroup(
        "by_provider",
        "By provider",
        lambda ctx: F("provider_id"),
        lambda v, extra: extra.get("provider__name") or NOT_RECORDED,
        int_value,
        extra=("provider__name",),
    ),
]
_PLACEMENT_GROUPS = {g.key: g for g in PLACEMENT_GROUPS}


def _grouped(ctx: Context, group: PlacementGroup) -> QuerySet[Any]:
    placements = cohort_placements(ctx)
    if group.key == "by_area":
        placements = placements.annotate(area_la=area_la())
    if group.where is not None:
        placements = placements.filter(group.where(ctx))
    return placements.annotate(group=group.expression(ctx))


def placement_breakdown(
    ctx: Context, group: PlacementGroup, *, total: int | None = None
) -> Breakdown:
    """One group's breakdown, with its own GROUP BY (for one breakdown on its own)."""
    rows_data = (
        _grouped(ctx, group)
        .values("group", *group.extra)
        .annotate(children=distinct_children())
        .order_by()
    )
    counted = [(data["group"], data["children"], data) for data in rows_data]
    return _breakdown(ctx, group, counted, total)


def placement_breakdowns(ctx: Context, *, total: int | None = None) -> list[Breakdown]:
    """Every group's breakdown from one read of the cohort's placements (a row for each: its
    child, and its value in every group), counted here rather than with a GROUP BY per group:
    the same counts as `placement_breakdown`, for an eighth of the trips to the database."""
    columns = {f"g_{group.key}": group.expression(ctx) for group in PLACEMENT_GROUPS}
    wheres = {
        f"w_{group.key}": Case(
            When(group.where(ctx), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
        for group in PLACEMENT_GROUPS
        if group.where is not None
    }
    extras = sorted({name for group in PLACEMENT_GROUPS for name in group.extra})
    placements = (
        cohort_placements(ctx)
        .annotate(area_la=area_la())
        .annotate(**columns, **wheres)
        .values("child_id", *extras, *columns, *wheres)
        .order_by()
    )
    children: dict[str, dict[Any, set[int]]] = {group.key: {} for group in PLACEMENT_GROUPS}
    extra_of: dict[str, dict[Any, dict[str, Any]]] = {group.key: {} for group in PLACEMENT_GROUPS}
    for row in placements:
        for group in PLACEMENT_GROUPS:
            if group.where is not None and not row[f"w_{group.key}"]:
                continue
            value = row[f"g_{group.key}"]
            children[group.key].setdefault(value, set()).add(row["child_id"])
            extra_of[group.key].setdefault(value, row)
    return [
        _breakdown(
            ctx,
            group,
            [
                (value, len(ids), extra_of[group.key][value])
                for value, ids in children[group.key].items()
            ],
            total,
        )
        for group in PLACEMENT_GROUPS
    ]


def _breakdown(
    ctx: Context,
    group: PlacementGroup,
    counted: list[tuple[Any, int, dict[str, Any]]],
    total: int | None,
) -> Breakdown:
    """The group's rows from (value, children, the extra columns read with it), in order."""
    pairs = []
    for value, count, data in counted:
        pairs.append(
            (
                value,
                Row(
                    label=group.none_label if value is None else group.label(value, data),
                    value=count,
                    count=count,
                    drilldown=drill(group.key, NONE_VALUE if value is None else value, ctx=ctx),
                ),
            )
        )
    if group.ordered:
        order = [*TIER_LABELS, *TYPE_LABELS, *AREA_LABELS]
        pairs.sort(
            key=lambda p: (p[0] is None, order.index(p[0]) if p[0] in order else 99, p[1].label)
        )
    else:
        pairs.sort(key=lambda p: (p[0] is None, -p[1].count, p[1].label))
    rows = [row for _, row in pairs]
    return Breakdown(
        key=group.key,
        title=group.title,
        unit="count",
        rows=rows,
        chart="bar",
        note=group.note,
        total=total,
    )


def placement_group_children(ctx: Context, value: str | None, *, key: str) -> QuerySet[Child]:
    group = _PLACEMENT_GROUPS[key]
    grouped = _grouped(ctx, group)
    if value is None or value in ("", NONE_VALUE):
        return children_of(grouped.filter(group__isnull=True))
    return children_of(grouped.filter(group=group.parse(value)))


drilldown(*_PLACEMENT_GROUPS)(placement_group_children)


# --- by child ------------------------------------------------------------------------------------


def _cohort_year() -> Case:
    """The academic year a child's cohort was born in (1 September to 31 August)."""
    year = ExtractYear("date_of_birth")
    return Case(
        When(Q(date_of_birth__month__gte=9), then=year),
        default=year - 1,
        output_field=IntegerField(),
    )


def cohort_children(ctx: Context) -> QuerySet[Child]:
    return children_of(cohort_placements(ctx))


YES_NO = {"yes": True, "no": False}
# key -> (the child's field, the breakdown's title, each value's label)
CHILD_FIELDS: dict[str, tuple[str, str, Mapping[Any, str]]] = {
    "by_sen": ("sen_status", "By special educational needs", dict(SenStatus.choices)),
    "by_looked_after": (
        "looked_after",
        "Looked after",
        {True: "Looked after", False: "Not looked after"},
    ),
    "by_fsm": (
        "fsm",
        "Free school meals",
        {True: "Eligible for free school meals", False: "Not eligible"},
    ),
    "by_sex": ("sex", "By sex", dict(Sex.choices)),
    "by_ethnicity": ("ethnicity", "By ethnicity", dict(Ethnicity.choices)),
}
CHILD_KEYS = ("by_year_group", *CHILD_FIELDS)


def _most_first(tally: Counter[Any], labels: Mapping[Any, str]) -> list[Any]:
    """The values counted, most children first, then by label."""
    return sorted(tally, key=lambda v: (-tally[v], str(labels.get(v, v))))


def child_breakdowns(ctx: Context, *, total: int | None = None) -> list[Breakdown]:
    """Year group, SEN, looked after, FSM, sex and ethnicity of the cohort, from one query."""
    fields = [spec[0] for spec in CHILD_FIELDS.values()]
    groups = (
        cohort_children(ctx).annotate(cohort_year=_cohort_year()).values("cohort_year", *fields)
    )
    tallies: dict[str, Counter[Any]] = {key: Counter() for key in CHILD_KEYS}
    for data in groups.annotate(n=Count("pk")).order_by():
        tallies["by_year_group"][_year_group(ctx.as_of, data["cohort_year"])] += data["n"]
        for key, (field, _, _) in CHILD_FIELDS.items():
            tallies[key][data[field]] += data["n"]
    breakdowns = [
        Breakdown(
            key="by_year_group",
            title="By year group",
            unit="count",
            chart="bar",
            rows=[
                Row(
                    label=schooling.year_group_label(year),
                    value=n,
                    count=n,
                    drilldown=drill("by_year_group", year, ctx=ctx),
                )
                for year, n in sorted(tallies["by_year_group"].items())
            ],
            note=f"Year groups on {ctx.as_of.day} {ctx.as_of:%B %Y}.",
            total=total,
        )
    ]
    for key, (_, title, labels) in CHILD_FIELDS.items():
        tally = tallies[key]
        if key == "by_ethnicity":
            values = _most_first(tally, labels)
        else:
            values = [v for v in labels if v in tally] + [v for v in tally if v not in labels]
        rows = [
            Row(
                label=str(labels.get(v, v)),
                value=tally[v],
                count=tally[v],
                drilldown=drill(key, _encode(v), ctx=ctx),
            )
            for v in values
        ]
        breakdowns.append(
            Breakdown(key=key, title=title, unit="count", rows=rows, chart="bar", total=total)
        )
    return breakdowns


def _encode(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _year_group(as_of: dt.date, cohort_year: int) -> int:
    year = schooling.academic_year_start(as_of) - cohort_year - 5
    return max(year, -1)  # every nursery-age child in one row


def _year_group_children(ctx: Context, value: str | None) -> QuerySet[Child]:
    year = int_value(value)
    first_cohort = schooling.academic_year_start(ctx.as_of) - 5 - year
    if year < 0:  # nursery age: every cohort younger than Reception
        return cohort_children(ctx).filter(date_of_birth__gte=dt.date(first_cohort, 9, 1))
    return cohort_children(ctx).filter(
        date_of_birth__gte=dt.date(first_cohort, 9, 1),
        date_of_birth__lte=dt.date(first_cohort + 1, 8, 31),
    )


@drilldown(*CHILD_KEYS)
def _child_group_children(ctx: Context, value: str | None, *, key: str) -> QuerySet[Child]:
    if key == "by_year_group":
        return _year_group_children(ctx, value)
    field, _, labels = CHILD_FIELDS[key]
    if key in ("by_looked_after", "by_fsm"):
        if value not in YES_NO:
            raise UnknownValue(value)
        return cohort_children(ctx).filter(**{field: YES_NO[value]})
    return cohort_children(ctx).filter(**{field: _choice(value or "", labels)})


# --- how many over the period ------------------------------------------------------------------


def period_total(ctx: Context) -> Figure:
    children = placed_in_period(ctx).aggregate(n=distinct_children())["n"]
    return Figure(
        key="children_in_ap_period",
        label="Children in AP during the period",
        value=children,
        unit="count",
        count=children,
        drilldown=drill("children_in_ap_period"),
    )


@drilldown("children_in_ap_period")
def _period_children(ctx: Context, value: str | None, *, key: str) -> QuerySet[Child]:
    return children_of(placed_in_period(ctx))


def _moves(ctx: Context) -> QuerySet[Any]:
    """The LA's placements that were moves in the period so far (`placements.rules.moved_q`)."""
    if ctx.to_date < ctx.period.start:
        return la_placements(ctx.la_id).none()
    return la_placements(ctx.la_id).filter(rules.moved_q(ctx.period.start, ctx.to_date))


def placement_moves(ctx: Context) -> Figure:
    moved = _moves(ctx).aggregate(n=distinct_children())["n"]
    return Figure(
        key="placement_moves",
        label=dict(CATALOGUE)["placement_moves"],
        value=moved,
        unit="count",
        count=moved,
        drilldown=drill("placement_moves"),
    )


@drilldown("placement_moves")
def _moved_children(ctx: Context, value: str | None, *, key: str) -> QuerySet[Child]:
    return children_of(_moves(ctx))
