"""What every measure shares: the context (LA, period, today, cohort), the LA's placements,
the SQL helpers, and the registry that maps a drill-down key back to its children.

Which placements are an LA's, which run on a day, and every other rule a figure counts by, are
the placements app's (`placements.rules`, docs/rules.md): the caseworker's lists call the same.

A figure is defined once as a set of placements (a queryset and a condition); its number is the
distinct children of that set and its drill-down is the same set's children, so a list always
has the figure's number of children.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Func, IntegerField, Q, QuerySet

from aptrack.children.models import Child
from aptrack.oversight.measures.periods import Period
from aptrack.placements import rules
from aptrack.placements.models import Placement

COHORT_NOW = "now"
COHORT_PERIOD = "period"
COHORTS = (COHORT_NOW, COHORT_PERIOD)
NONE_VALUE = "none"  # the drill-down value of a "Not recorded" row


@dataclass(frozen=True)
class Context:
    la_id: int
    period: Period
    today: dt.date
    cohort: str = COHORT_PERIOD

    @property
    def to_date(self) -> dt.date:
        """The last day of the period that has happened."""
        return self.period.to_date(self.today)

    @property
    def as_of(self) -> dt.date:
        """The day ages and year groups are counted on for the cohort."""
        return self.today if self.cohort == COHORT_NOW else self.to_date


class DaysBetween(Func):
    """Whole days from the second date to the first (``end - start``), in SQL on both databases."""

    output_field = IntegerField()
    arg_joiner = " - "
    template = "((%(expressions)s))"

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="CAST(ROUND(julianday(%(expressions)s)) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="((%(expressions)s::date))",
            arg_joiner="::date - ",
            **extra,
        )


# --- the LA's placements ----------------------------------------------------------------------


def la_placements(la_id: int) -> QuerySet[Placement]:
    """The placements the LA answers for (`placements.rules.la_placements`)."""
    return rules.la_placements(la_id)


def placed_now(ctx: Context) -> QuerySet[Placement]:
    """Placements running today (`placements.rules.running_on_q`)."""
    return rules.la_placements(ctx.la_id, on=ctx.today)


def placed_in_period(ctx: Context) -> QuerySet[Placement]:
    """Placements that ran on at least one day of the period up to today."""
    if ctx.to_date < ctx.period.start:  # a period still to come
        return la_placements(ctx.la_id).none()
    return la_placements(ctx.la_id).filter(rules.ran_between_q(ctx.period.start, ctx.to_date))


def cohort_placements(ctx: Context) -> QuerySet[Placement]:
    return placed_now(ctx) if ctx.cohort == COHORT_NOW else placed_in_period(ctx)


def children_of(placements: QuerySet[Any], column: str = "child_id") -> QuerySet[Child]:
    return Child.objects.filter(pk__in=placements.values(column))


def distinct_children(condition: Q | None = None) -> Count:
    return Count("child_id", distinct=True, filter=condition)


# --- numbers ----------------------------------------------------------------------------------


def percent(part: int | None, whole: int | None) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part or 0) * 100 / Decimal(whole)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def weeks(days: int | float | Decimal | None) -> Decimal | None:
    if days is None:
        return None
    return (Decimal(str(days)) / 7).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def money(value: Decimal | float | int | None) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def drill(measure: str, value: object = None, *, ctx: Context | None = None) -> str:
    """The drill-down query for a measure (and a row's value); cohort breakdowns say which."""
    params: dict[str, str] = {"measure": measure}
    if value is not None:
        params["value"] = str(value)
    if ctx is not None and ctx.cohort == COHORT_NOW:
        params["cohort"] = COHORT_NOW
    return urlencode(params)


# --- the drill-down registry --------------------------------------------------------------------

ChildrenFn = Callable[..., QuerySet[Child]]  # (ctx, value, *, key) -> children
DRILLDOWNS: dict[str, ChildrenFn] = {}


def drilldown(*keys: str) -> Callable[[ChildrenFn], ChildrenFn]:
    """Register the function that lists the children behind these measure keys."""

    def register(fn: ChildrenFn) -> ChildrenFn:
        for key in keys:
            if key in DRILLDOWNS:
                raise ValueError(f"Drill-down {key} registered twice")
            DRILLDOWNS[key] = fn
        return fn

    return register


class UnknownValue(KeyError):
    """A drill-down value the breakdown does not have."""


def int_value(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        raise UnknownValue(value) from None
