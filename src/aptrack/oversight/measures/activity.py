"""What happened in the period: referrals and placements started by month, placements ended and
how long they ran, and what the placements cost.

Every number counts children (a child referred twice in a month is one child that month), so
the list behind a number always has that many children.

Spend is each placement's weekly cost for every calendar day it ran in the period up to today
(weekly cost x days / 7): holidays are included, so where a provider invoices term time only
this is an upper bound.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import (
    Avg,
    DateField,
    DecimalField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest, Least, TruncMonth

from aptrack.children.models import Child
from aptrack.oversight.measures.base import (
    NONE_VALUE,
    Context,
    DaysBetween,
    UnknownValue,
    children_of,
    distinct_children,
    drill,
    drilldown,
    int_value,
    la_placements,
    money,
    placed_in_period,
    weeks,
)
from aptrack.oversight.measures.catalogue import CATALOGUE, Breakdown, Figure, Row
from aptrack.oversight.measures.cohort import TIER_LABELS
from aptrack.placements.states import PlacementStatus
from aptrack.referrals.models import Referral
from aptrack.referrals.states import ReferralStatus

LABELS = dict(CATALOGUE)


def months(ctx: Context) -> list[dt.date]:
    """The first day of each month from the period's start to its last day so far."""
    if ctx.to_date < ctx.period.start:
        return []
    first, last = ctx.period.start.replace(day=1), ctx.to_date.replace(day=1)
    result = []
    while first <= last:
        result.append(first)
        first = (first + dt.timedelta(days=32)).replace(day=1)
    return result


def _month_value(value: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(f"{value}-01")
    except (TypeError, ValueError):
        raise UnknownValue(value) from None


def _month_label(month: dt.date) -> str:
    return f"{month:%b %Y}"


def _as_date(value: Any) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


# --- referrals and placements started, by month ------------------------------------------------


def referrals(ctx: Context) -> QuerySet[Referral]:
    """Referrals made in the period so far (drafts are not yet referrals)."""
    return Referral.objects.filter(
        commissioning_la_id=ctx.la_id,
        created_at__date__gte=ctx.period.start,
        created_at__date__lte=ctx.to_date,
    ).exclude(status=ReferralStatus.DRAFT)


def started(ctx: Context) -> QuerySet[Any]:
    return la_placements(ctx.la_id).filter(
        status__in=[PlacementStatus.ACTIVE, PlacementStatus.ENDED],
        start_date__gte=ctx.period.start,
        start_date__lte=ctx.to_date,
    )


def ended(ctx: Context) -> QuerySet[Any]:
    return la_placements(ctx.la_id).filter(
        status=PlacementStatus.ENDED, end_date__gte=ctx.period.start, end_date__lte=ctx.to_date
    )


def _by_month(
    ctx: Context, items: QuerySet[Any], date_field: str, key: str, title: str
) -> Breakdown:
    counts = {
        _as_date(data["month"]): data["children"]
        for data in items.annotate(month=TruncMonth(date_field))
        .values("month")
        .annotate(children=distinct_children())
        .order_by()
    }
    rows = [
        Row(
            label=_month_label(m),
            value=counts.get(m, 0),
            count=counts.get(m, 0),
            drilldown=drill(key, f"{m:%Y-%m}"),
        )
        for m in months(ctx)
    ]
    return Breakdown(key=key, title=title, unit="count", rows=rows, chart="column")


def activity(ctx: Context) -> tuple[list[Figure], list[Breakdown]]:
    referred = referrals(ctx).aggregate(children=distinct_children())["children"]
    starts = started(ctx).aggregate(children=distinct_children())["children"]
    ends = ended(ctx).aggregate(
        children=distinct_children(), days=Avg(DaysBetween("end_date", "start_date"))
    )
    figures = [
        Figure(
            "referrals_in_period",
            LABELS["referrals_in_period"],
            referred,
            "count",
            referred,
            drill("referrals_in_period"),
        ),
        Figure(
            "placements_started",
            LABELS["placements_started"],
            starts,
            "count",
            starts,
            drill("placements_started"),
        ),
        Figure(
            "placements_ended",
            LABELS["placements_ended"],
            ends["children"],
            "count",
            ends["children"],
            drill("placements_ended"),
        ),
        Figure(
            "average_length",
            LABELS["average_length"],
            weeks(ends["days"]),
            "weeks",
            ends["children"],
            drill("placements_ended") if ends["children"] else None,
        ),
    ]
    breakdowns = [
        _by_month(
            ctx, referrals(ctx), "created_at", "referrals_by_month", "Children referred, by month"
        ),
        _by_month(
            ctx,
            started(ctx),
            "start_date",
            "placements_by_month",
            "Children starting a placement, by month",
        ),
    ]
    return figures, breakdowns


@drilldown("referrals_in_period", "placements_started", "placements_ended", "average_length")
def _activity_children(ctx: Context, value: str | None, *, key: str) -> QuerySet[Child]:
    if key == "referrals_in_period":
        return children_of(referrals(ctx))
    if key == "placements_started":
        return children_of(started(ctx))
    return children_of(ended(ctx))


@drilldown("referrals_by_month", "placements_by_month")
def _month_children(ctx: Context, value: str | None, *, key: str) -> QuerySet[Child]:
    month = _month_value(value)
    end = (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    if key == "referrals_by_month":
        return children_of(
            referrals(ctx).filter(created_at__date__gte=month, created_at__date__lte=end)
        )
    return children_of(started(ctx).filter(start_date__gte=month, start_date__lte=end))


# --- spend -------------------------------------------------------------------------------------


def costed(ctx: Context) -> QuerySet[Any]:
    """Placements with a weekly cost that ran in the period so far."""
    return placed_in_period(ctx).filter(weekly_cost__isnull=False)


def _spend(ctx: Context) -> Sum:
    to_date = Value(ctx.to_date, output_field=DateField())
    last = Least(
        Coalesce("end_date", to_date, output_field=DateField()), to_date, output_field=DateField()
    )
    first = Greatest(
        "start_date", Value(ctx.period.start, output_field=DateField()), output_field=DateField()
    )
    days = DaysBetween(last, first) + 1
    return Sum(
        ExpressionWrapper(
            F("weekly_cost") * days, output_field=DecimalField(max_digits=14, decimal_places=2)
        )
    )


def _pounds(weekly_cost_days: Any) -> Decimal:
    return money(Decimal(str(weekly_cost_days or 0)) / 7)


def spend(ctx: Context) -> tuple[list[Figure], list[Breakdown]]:
    total = costed(ctx).aggregate(spend=_spend(ctx), children=distinct_children())
    figure = Figure(
        "spend_to_date",
        LABELS["spend_to_date"],
        _pounds(total["spend"]),
        "gbp",
        total["children"],
        drill("spend_to_date"),
    )
    spent = [
        (_pounds(data["spend"]), data)
        for data in costed(ctx)
        .values("provider_id", "provider__name")
        .annotate(spend=_spend(ctx), children=distinct_children())
        .order_by()
    ]
    by_provider = [
        Row(
            label=data["provider__name"],
            value=pounds,
            count=data["children"],
            drilldown=drill("spend_by_provider", data["provider_id"]),
        )
        for pounds, data in sorted(spent, key=lambda pair: (-pair[0], pair[1]["provider__name"]))
    ]
    by_tier = [
        Row(
            label=TIER_LABELS.get(data["tier"], "Not recorded"),
            value=_pounds(data["spend"]),
            count=data["children"],
            drilldown=drill("spend_by_tier", data["tier"] or NONE_VALUE),
        )
        for data in costed(ctx)
        .values("tier")
        .annotate(spend=_spend(ctx), children=distinct_children())
        .order_by("tier")
    ]
    note = "Weekly cost for each day a placement ran in the period up to today, holidays included."
    return [figure], [
        Breakdown("spend_by_provider", "Spend by provider", "gbp", by_provider, "bar", note=note),
        Breakdown("spend_by_tier", "Spend by tier", "gbp", by_tier, "bar", note=note),
    ]


@drilldown("spend_to_date", "spend_by_provider", "spend_by_tier")
def _spend_children(ctx: Context, value: str | None, *, key: str) -> QuerySet[Child]:
    placements = costed(ctx)
    if key == "spend_by_provider":
        placements = placements.filter(provider_id=int_value(value))
    elif key == "spend_by_tier":
        placements = placements.filter(
            Q(tier__isnull=True) if value == NONE_VALUE else Q(tier=int_value(value))
        )
    return children_of(placements)
