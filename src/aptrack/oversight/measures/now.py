"""Children in AP today: how many, who (EHCP, looked after), where (out of area, unregistered),
and the placements needing attention (open-ended, drifting, review overdue), each counted by
its rule in `placements.rules`.

One query counts every figure: each is a condition on today's placements, counted as distinct
children, and its drill-down lists the children of the same placements.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Avg, IntegerField, Min, Q, QuerySet
from django.db.models.functions import Coalesce

from aptrack.children.models import Child, SenStatus
from aptrack.oversight.measures.base import (
    Context,
    children_of,
    distinct_children,
    drill,
    drilldown,
    percent,
    placed_now,
    weeks,
)
from aptrack.oversight.measures.catalogue import CATALOGUE, Figure
from aptrack.placements import rules
from aptrack.placements.models import Placement
from aptrack.providers.models import REGISTERED_KINDS

LABELS = dict(CATALOGUE)


def area_la() -> Coalesce:
    """The LA a placement is delivered in: its site's, else the provider's home LA."""
    return Coalesce(
        "site__local_authority_id", "provider__provider__home_la_id", output_field=IntegerField()
    )


def registered_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}provider__provider__kind__in": REGISTERED_KINDS})


@dataclass(frozen=True)
class NowFigure:
    key: str
    condition: Q
    share: bool = False  # shown as a percentage of all children in AP now


def _conditions(ctx: Context) -> list[NowFigure]:
    today = ctx.today
    open_ended = rules.open_ended_q()
    return [
        NowFigure("children_in_ap", Q()),
        NowFigure("ehcp_share", Q(child__sen_status=SenStatus.EHCP), share=True),
        NowFigure("looked_after_in_ap", Q(child__looked_after=True)),
        NowFigure("part_time_now", rules.part_time_q()),
        NowFigure("out_of_area_now", Q(area_la__isnull=False) & ~Q(area_la=ctx.la_id)),
        NowFigure("unregistered_now", ~registered_q()),
        NowFigure("open_ended", open_ended),
        NowFigure("open_ended_no_exit_plan", open_ended & Q(exit_plan="")),
        NowFigure("drift", rules.drift_q(today)),
        NowFigure("reviews_overdue", rules.overdue_review_q(today)),
    ]


def _base(ctx: Context) -> QuerySet[Placement]:
    return rules.with_review_base(placed_now(ctx)).annotate(area_la=area_la())


def now_figures(ctx: Context) -> list[Figure]:
    """Every figure about today, from one query."""
    conditions = _conditions(ctx)
    totals: dict[str, Any] = _base(ctx).aggregate(
        **{f.key: distinct_children(f.condition or None) for f in conditions},
        earliest_start=Min("start_date"),
        average_weekly_cost=Avg("weekly_cost"),
    )
    everyone = totals["children_in_ap"]
    figures = []
    for f in conditions:
        count = totals[f.key]
        value: int | Decimal | None = percent(count, everyone) if f.share else count
        figures.append(
            Figure(
                key=f.key,
                label=LABELS[f.key],
                value=value,
                unit="percent" if f.share else "count",
                count=count,
                drilldown=drill(f.key),
                of=everyone if f.share else None,
            )
        )
    earliest = totals["earliest_start"]
    longest = _longest(ctx, earliest)
    figures.append(
        Figure(
            key="longest_length",
            label=LABELS["longest_length"],
            value=weeks((ctx.today - earliest).days) if earliest else None,
            unit="weeks",
            count=longest,
            drilldown=drill("longest_length") if earliest else None,
        )
    )
    cost = totals["average_weekly_cost"]
    figures.append(
        Figure(
            key="average_weekly_cost",
            label=LABELS["average_weekly_cost"],
            value=Decimal(str(cost)).quantize(Decimal("1")) if cost is not None else None,
            unit="gbp",
            count=None,
            drilldown=None,
        )
    )
    return figures


def _longest(ctx: Context, earliest: Any) -> int:
    if earliest is None:
        return 0
    return placed_now(ctx).filter(start_date=earliest).values("child_id").distinct().count()


@drilldown(
    "children_in_ap",
    "ehcp_share",
    "looked_after_in_ap",
    "part_time_now",
    "out_of_area_now",
    "unregistered_now",
    "open_ended",
    "open_ended_no_exit_plan",
    "drift",
    "reviews_overdue",
)
def _now_children(ctx: Context, value: str | None, *, key: str = "") -> QuerySet[Child]:
    condition = next(f.condition for f in _conditions(ctx) if f.key == key)
    return children_of(_base(ctx).filter(condition))


@drilldown("longest_length")
def _longest_children(ctx: Context, value: str | None, *, key: str = "") -> QuerySet[Child]:
    earliest = placed_now(ctx).aggregate(earliest=Min("start_date"))["earliest"]
    return children_of(placed_now(ctx).filter(start_date=earliest))
