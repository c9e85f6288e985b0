"""Spend and value for money: the spend selectors, the one owner of what an LA has spent on AP,
what it is committed to, what it will spend by the end of the financial year, against its AP
budget, and what a day, a placement and a sustained return to school cost (docs/rules.md,
"Spend and value for money"). The finance page, the dashboard, the committee pack and the
regional view all read these; none re-derives them.

For an LA (the placements it answers for, `placements.rules.la_placements`, and the invoice
lines reconciliation gave it) and a financial year (1 April to 31 March, named by the year it
starts in), as at a day:

- **actual**: the net amount of the approved invoice lines whose service starts in the year,
  approved by the day (VAT apart: the council recovers it);
- **committed**: for each placement of the LA that is planned, running or ran in the year, its
  weekly cost (`costs.weekly_costs`: the contract's rate in force on the first day committed,
  by its agreed hours, or a block place's share; without a contract the provider register's
  published rate) times its school weeks not yet invoiced and approved in the year: from the
  later of 1 April, its start, and the day after the last service day approved for it, to the
  earlier of 31 March and its last day (its end date; else its planned end date, or the day
  itself once that has passed, since a placement that drifts on still costs; else, open-ended,
  31 March). A school week is five school days on the LA's calendar; past the calendar's last
  known term, weekdays count;
- **forecast** (year-end outturn): actual + committed;
- **budget**: the LA's `HighNeedsBudget` for the year; only what the high-needs block funds is
  set against it;
- **funder**: the placement's contract's (`Contract.funder`); without a contract, the school
  when a school commissioned it, else the LA's high-needs block;
- **value for money**, over the approved lines: cost per attended day (actual ÷ the days
  attended in the lines' service periods, as reconciliation counted them: two attended sessions
  make a day); cost per placement (actual ÷ the placements with approved lines); cost per
  sustained reintegration (actual ÷ the LA's placements that ended in the year to the day with
  a return to mainstream school sustained at the `SUSTAINED_WEEKS`-week follow-up, by
  `outcomes.selectors.placements_for_outcome`).

Aggregates only: nothing here names a child. `children_behind` gives the ids behind a figure
for the dashboard's drill-down, which scopes and audits them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    Max,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from aptrack.calendars.engine import SchoolCalendar
from aptrack.calendars.selectors import get_calendar
from aptrack.commissioning import costs
from aptrack.commissioning.invoice_file import weekdays
from aptrack.commissioning.models import HighNeedsBudget, InvoiceLine
from aptrack.commissioning.states import Funder, LineStatus
from aptrack.organisations.models import Organisation
from aptrack.outcomes.selectors import placements_for_outcome
from aptrack.placements import rules
from aptrack.placements.models import Placement
from aptrack.placements.states import PlacementStatus
from aptrack.providers.models import REGISTERED_KINDS
from aptrack.referrals.models import Route, Tier

CENT = Decimal("0.01")
ZERO = Decimal(0)
SUSTAINED_WEEKS = 12
SPENDING = (PlacementStatus.PLANNED, PlacementStatus.ACTIVE, PlacementStatus.ENDED)
NONE_VALUE = "none"
# What a placement's spend reads (its weekly cost, window and groups): nothing else is loaded.
PLACEMENT_FIELDS = (
    "child_id",
    "provider_id",
    "commissioning_la_id",
    "status",
    "tier",
    "start_date",
    "planned_end_date",
    "end_date",
    "hours_per_week",
    "weekly_cost",
    "provider__name",
    "provider__provider__kind",
    "referral__route",
    "terms__contract__funder",
)


# --- the financial year ----------------------------------------------------------------------


@dataclass(frozen=True)
class FinancialYear:
    """1 April to 31 March, named by the year it starts in (2026: April 2026 to March 2027)."""

    year: int

    @classmethod
    def of(cls, day: dt.date) -> FinancialYear:
        return cls(day.year if day.month >= 4 else day.year - 1)

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 4, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.year + 1, 3, 31)

    @property
    def label(self) -> str:
        return f"April {self.year} to March {self.year + 1}"

    @property
    def short(self) -> str:
        return f"{self.year}-{str(self.year + 1)[-2:]}"


def financial_year(day: dt.date) -> FinancialYear:
    return FinancialYear.of(day)


# --- the groups a spend is broken down by -----------------------------------------------------

TIER = "tier"
ROUTE = "route"
PROVIDER = "provider"
PROVIDER_TYPE = "provider_type"
FUNDER = "funder"
NOT_RECORDED = "Not recorded"
NO_REFERRAL = "No referral recorded"
TYPE_LABELS = {
    "registered": "Registered (school) providers",
    "non_school": "Unregistered (non-school) providers",
}


@dataclass(frozen=True)
class Dimension:
    key: str
    title: str  # "By tier"
    heading: str  # the column heading: "Tier"


DIMENSIONS = [
    Dimension(FUNDER, "By funder", "Funder"),
    Dimension(TIER, "By tier", "Tier"),
    Dimension(ROUTE, "By route into AP", "Route"),
    Dimension(PROVIDER_TYPE, "By type of provider", "Type of provider"),
    Dimension(PROVIDER, "By provider", "Provider"),
]
DIMENSION_KEYS = frozenset(d.key for d in DIMENSIONS)


@dataclass
class Item:
    """One placement (or the approved lines matched to none) with what it cost in the year."""

    placement_id: int | None
    child_id: int | None
    provider_id: int
    provider_name: str
    tier: int | None
    route: str | None
    registered: bool
    funder: str
    actual: Decimal = ZERO
    committed: Decimal = ZERO
    attended_sessions: int = 0
    paid: bool = False  # has approved lines in the year
    sustained: bool = False  # ended in the year with a sustained return to mainstream school
    priced: bool = True  # a weekly cost was found for it

    @property
    def forecast(self) -> Decimal:
        return self.actual + self.committed

    def value(self, dimension: str) -> str:
        """The item's group in a breakdown, as the drill-down's value."""
        found: Any = {
            TIER: self.tier,
            ROUTE: self.route,
            PROVIDER: self.provider_id,
            PROVIDER_TYPE: "registered" if self.registered else "non_school",
            FUNDER: self.funder,
        }[dimension]
        return NONE_VALUE if found in (None, "") else str(found)


def _label(dimension: str, value: str, item: Item) -> str:
    if dimension == PROVIDER:
        return item.provider_name
    if value == NONE_VALUE:
        return NO_REFERRAL if dimension == ROUTE else NOT_RECORDED
    if dimension == TIER:
        return str(Tier(int(value)).label) if int(value) in Tier.values else f"Tier {value}"
    if dimension == ROUTE:
        return str(Route(value).label) if value in Route.values else value
    if dimension == PROVIDER_TYPE:
        return TYPE_LABELS[value]
    return str(Funder(value).label) if value in Funder.values else value


# --- the figures ------------------------------------------------------------------------------


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _ratio(part: Decimal, whole: Decimal | int) -> Decimal | None:
    """part ÷ whole to the penny; None with nothing approved or nothing to divide by."""
    return _money(part / Decimal(whole)) if whole and part else None


# Which part of the spend a drill-down lists the children of.
ACTUAL, COMMITTED, FORECAST, HIGH_NEEDS = "actual", "committed", "forecast", "high_needs"
PARTS: dict[str, Callable[[Item], bool]] = {
    ACTUAL: lambda i: i.actual > 0,
    COMMITTED: lambda i: i.committed > 0,
    FORECAST: lambda i: i.forecast > 0,
    HIGH_NEEDS: lambda i: i.forecast > 0 and i.funder == Funder.HIGH_NEEDS,
}


@dataclass(frozen=True)
class Group:
    """The spend and value-for-money figures of a set of items (a breakdown's row, or all)."""

    value: str  # the drill-down value ("" for the whole)
    label: str
    children: int  # distinct children with any spend (actual or committed)
    paid_children: int  # ... with approved spend
    committed_children: int  # ... with committed spend
    placements: int  # placements with any spend
    actual: Decimal
    committed: Decimal
    paid_placements: int  # placements with approved lines
    attended_days: Decimal
    sustained: int  # sustained reintegrations

    @property
    def forecast(self) -> Decimal:
        return self.actual + self.committed

    @property
    def cost_per_attended_day(self) -> Decimal | None:
        return _ratio(self.actual, self.attended_days)

    @property
    def cost_per_placement(self) -> Decimal | None:
        return _ratio(self.actual, self.paid_placements)

    @property
    def cost_per_sustained_reintegration(self) -> Decimal | None:
        return _ratio(self.actual, self.sustained)

    @classmethod
    def of(cls, items: list[Item], *, value: str = "", label: str = "All") -> Group:
        spending = [i for i in items if i.forecast > 0]

        def children(part: Callable[[Item], bool]) -> int:
            return len({i.child_id for i in items if part(i) and i.child_id is not None})

        return cls(
            value=value,
            label=label,
            children=children(PARTS[FORECAST]),
            paid_children=children(PARTS[ACTUAL]),
            committed_children=children(PARTS[COMMITTED]),
            placements=len({i.placement_id for i in spending if i.placement_id is not None}),
            actual=sum((i.actual for i in items), ZERO),
            committed=sum((i.committed for i in items), ZERO),
            paid_placements=len({i.placement_id for i in items if i.paid and i.placement_id}),
            attended_days=Decimal(sum(i.attended_sessions for i in items)) / 2,
            sustained=sum(1 for i in items if i.sustained),
        )


@dataclass(frozen=True)
class Spend:
    """An LA's spend on AP in a financial year, as at a day."""

    la_id: int
    year: FinancialYear
    on: dt.date
    budget: Decimal | None  # the high-needs budget for AP; None when none is recorded
    total: Group  # every funder
    high_needs: Group  # what the high-needs block funds: set against the budget
    breakdowns: dict[str, list[Group]] = field(default_factory=dict)
    unpriced: int = 0  # placements with no weekly cost (no contract rate, no published rate)

    def breakdown(self, dimension: str) -> list[Group]:
        return self.breakdowns[dimension]

    @property
    def spent_share(self) -> Decimal | None:
        """High-needs actual as a percentage of the budget."""
        return _percent(self.high_needs.actual, self.budget)

    @property
    def forecast_share(self) -> Decimal | None:
        """High-needs forecast as a percentage of the budget."""
        return _percent(self.high_needs.forecast, self.budget)

    @property
    def variance(self) -> Decimal | None:
        """High-needs forecast less the budget: above 0 is an overspend."""
        return None if self.budget is None else self.high_needs.forecast - self.budget


def _percent(part: Decimal, whole: Decimal | None) -> Decimal | None:
    if not whole:
        return None
    return (part * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- reading -----------------------------------------------------------------------------------


def _approved_by(la_ids: Iterable[int], on: dt.date) -> QuerySet[InvoiceLine]:
    """The LAs' lines approved by the end of the day."""
    next_day = dt.datetime.combine(
        on + dt.timedelta(days=1), dt.time.min, tzinfo=timezone.get_current_timezone()
    )
    return InvoiceLine.objects.filter(
        local_authority_id__in=list(la_ids), status=LineStatus.APPROVED, decided_at__lt=next_day
    )


def _approved(la_ids: Iterable[int], year: FinancialYear, on: dt.date) -> QuerySet[InvoiceLine]:
    """The actual spend's lines: approved by the end of the day, service starting in the year."""
    return _approved_by(la_ids, on).filter(service_from__gte=year.start, service_from__lte=year.end)


def line_funder() -> Case:
    """Who pays for an invoice line, as an expression (the module's rule): its contract's
    funder; without one, the school when a school alone commissioned its placement, else the
    LA's high-needs block."""
    return Case(
        When(contract__isnull=False, then="contract__funder"),
        When(
            placement__isnull=False,
            placement__commissioning_la__isnull=True,
            then=Value(Funder.SCHOOL),
        ),
        default=Value(Funder.HIGH_NEEDS),
        output_field=CharField(),
    )


def _placement_funder(placement: Placement, contract_funder: str | None) -> str:
    if contract_funder:
        return contract_funder
    return Funder.SCHOOL if placement.commissioning_la_id is None else Funder.HIGH_NEEDS


def _school_weeks(calendar: SchoolCalendar) -> Callable[[dt.date, dt.date], Decimal]:
    """School days from first to last ÷ 5 on the calendar; weekdays past its last term."""
    known = calendar.last_known_day
    found: dict[tuple[dt.date, dt.date], Decimal] = {}

    def weeks(first: dt.date, last: dt.date) -> Decimal:
        if (first, last) not in found:
            days = 0
            if known is not None and first <= known:
                days += calendar.count_school_days(first, min(last, known))
            after = first if known is None else max(first, known + dt.timedelta(days=1))
            if after <= last:
                days += weekdays(after, last)
            found[(first, last)] = Decimal(days) / costs.DAYS_PER_WEEK
        return found[(first, last)]

    return weeks


def _last_day(placement: Placement, year: FinancialYear, on: dt.date) -> dt.date:
    if placement.end_date is not None:
        last = placement.end_date
    elif placement.planned_end_date is not None:
        last = max(placement.planned_end_date, on)
    else:
        last = year.end
    return min(last, year.end)


def list_items(*, la_id: int, on: dt.date, year: FinancialYear | None = None) -> list[Item]:
    """Every placement of the LA with spend in the year (and the approved lines matched to no
    placement), with its actual and committed spend as at `on`."""
    year = year or FinancialYear.of(on)
    approved = _approved([la_id], year, on)
    by_line = (
        approved.values("placement_id", "child_id", "provider_id")
        .annotate(
            funder=line_funder(),
            net=Sum("net_amount"),
            sessions=Coalesce(Sum("attended_sessions"), 0),
        )
        .order_by()
    )
    lines: dict[int | None, list[dict[str, Any]]] = defaultdict(list)
    for row in by_line:
        lines[row["placement_id"]].append(row)
    last_approved = dict(
        _approved_by([la_id], on)
        .filter(placement_id__isnull=False)
        .values("placement_id")
        .annotate(last=Max("service_to"))
        .order_by()
        .values_list("placement_id", "last")
    )
    in_year = rules.la_placements(la_id).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=year.start),
        status__in=SPENDING,
        start_date__lte=year.end,
    )
    placements = list(
        Placement.objects.filter(
            Q(pk__in=in_year.values("pk")) | Q(pk__in=approved.values("placement_id"))
        )
        .select_related("provider__provider", "referral", "terms__contract")
        .only(*PLACEMENT_FIELDS)
        .order_by("pk")
    )
    sustained = set(
        placements_for_outcome(
            f"reintegration_sustained_{SUSTAINED_WEEKS}",
            rules.la_placements(la_id).filter(
                status=PlacementStatus.ENDED, end_date__gte=year.start, end_date__lte=on
            ),
        ).values_list("pk", flat=True)
    )
    weeks = _school_weeks(get_calendar(la_id=la_id))
    windows: dict[int, tuple[dt.date, dt.date]] = {}
    for placement in placements:
        first = max(year.start, placement.start_date)
        if placement.pk in last_approved:
            first = max(first, last_approved[placement.pk] + dt.timedelta(days=1))
        windows[placement.pk] = (first, _last_day(placement, year, on))
    weekly = costs.weekly_costs([(p, windows[p.pk][0]) for p in placements])
    items = []
    for placement in placements:
        terms = getattr(placement, "terms", None)
        provider = getattr(placement.provider, "provider", None)
        item = Item(
            placement_id=placement.pk,
            child_id=placement.child_id,
            provider_id=placement.provider_id,
            provider_name=placement.provider.name,
            tier=placement.tier,
            route=placement.referral.route if placement.referral else None,
            registered=provider is not None and provider.kind in REGISTERED_KINDS,
            funder=_placement_funder(placement, terms.contract.funder if terms else None),
            sustained=placement.pk in sustained,
        )
        for row in lines.get(placement.pk, []):
            item.actual += _money(row["net"])
            item.attended_sessions += row["sessions"]
            item.paid = True
        first, last = windows[placement.pk]
        cost = weekly[placement.pk]
        item.priced = cost is not None
        if cost is not None and first <= last and placement.status in SPENDING:
            item.committed = _money(cost * weeks(first, last))
        items.append(item)
    items.extend(_unplaced(lines.get(None, [])))
    return items


def _unplaced(rows: list[dict[str, Any]]) -> list[Item]:
    """Approved lines matched to no placement, one item per child and provider."""
    if not rows:
        return []
    providers = {
        o.pk: o
        for o in Organisation.objects.filter(
            pk__in={row["provider_id"] for row in rows}
        ).select_related("provider")
    }
    items = []
    for row in rows:
        organisation = providers[row["provider_id"]]
        provider = getattr(organisation, "provider", None)
        items.append(
            Item(
                placement_id=None,
                child_id=row["child_id"],
                provider_id=organisation.pk,
                provider_name=organisation.name,
                tier=None,
                route=None,
                registered=provider is not None and provider.kind in REGISTERED_KINDS,
                funder=row["funder"],
                actual=_money(row["net"]),
                attended_sessions=row["sessions"],
                paid=True,
            )
        )
    return items


def _groups(items: list[Item], dimension: str) -> list[Group]:
    grouped: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        if item.forecast > 0:
            grouped[item.value(dimension)].append(item)
    rows = [
        Group.of(members, value=value, label=_label(dimension, value, members[0]))
        for value, members in grouped.items()
    ]
    if dimension == TIER:
        return sorted(rows, key=lambda g: (g.value == NONE_VALUE, g.value))
    return sorted(rows, key=lambda g: (-g.forecast, g.label))


def get_spend(*, la_id: int, on: dt.date, year: FinancialYear | None = None) -> Spend:
    """The LA's spend on AP in the financial year (the one `on` falls in unless given), as at
    `on`, with its breakdowns."""
    year = year or FinancialYear.of(on)
    items = list_items(la_id=la_id, on=on, year=year)
    budget = (
        HighNeedsBudget.objects.filter(local_authority_id=la_id, financial_year=year.year)
        .values_list("amount", flat=True)
        .first()
    )
    return Spend(
        la_id=la_id,
        year=year,
        on=on,
        budget=budget,
        total=Group.of(items),
        high_needs=Group.of(
            [i for i in items if i.funder == Funder.HIGH_NEEDS], label="High-needs block"
        ),
        breakdowns={d.key: _groups(items, d.key) for d in DIMENSIONS},
        unpriced=sum(1 for i in items if not i.priced and i.placement_id is not None),
    )


class UnknownGroup(KeyError):
    """A part, dimension or value the spend has no such group for."""


def children_behind(
    *, la_id: int, on: dt.date, part: str = FORECAST, dimension: str = "", value: str = ""
) -> set[int]:
    """The ids of the children behind a spend figure (`part` of the whole) or a breakdown's
    row (`dimension` and `value`), for a drill-down that scopes and audits them."""
    if part not in PARTS or (dimension and dimension not in DIMENSION_KEYS):
        raise UnknownGroup(part if part not in PARTS else dimension)
    chosen = [
        item
        for item in list_items(la_id=la_id, on=on)
        if PARTS[part](item) and (not dimension or item.value(dimension) == value)
    ]
    return {item.child_id for item in chosen if item.child_id is not None}


# --- every LA at once (the regional and national view) --------------------------------------


@dataclass(frozen=True)
class LaSpend:
    """An LA's approved spend in the financial year to a day, in whole pounds, for comparison
    between LAs."""

    actual: int
    children: int  # distinct children on the approved lines
    high_needs: int  # the part the high-needs block funds
    high_needs_children: int
    budget: int | None


def _pounds(value: Decimal | None) -> int:
    return int((value or ZERO).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def list_spend_by_la(*, la_ids: Iterable[int], on: dt.date) -> dict[int, LaSpend]:
    """Each LA's approved spend in the financial year `on` falls in, to `on` (two grouped
    reads): the part of `get_spend` that adds up across LAs."""
    ids = list(la_ids)
    year = FinancialYear.of(on)
    high_needs = Q(funder=Funder.HIGH_NEEDS)
    rows = {
        row["local_authority_id"]: row
        for row in _approved(ids, year, on)
        .annotate(funder=line_funder())
        .values("local_authority_id")
        .annotate(
            net=Sum("net_amount"),
            children=Count("child_id", distinct=True),
            hn_net=Sum("net_amount", filter=high_needs),
            hn_children=Count("child_id", distinct=True, filter=high_needs),
        )
        .order_by()
    }
    budgets = dict(
        HighNeedsBudget.objects.filter(
            local_authority_id__in=ids, financial_year=year.year
        ).values_list("local_authority_id", "amount")
    )
    found = {}
    for la_id in ids:
        row = rows.get(la_id, {})
        found[la_id] = LaSpend(
            actual=_pounds(row.get("net")),
            children=row.get("children", 0),
            high_needs=_pounds(row.get("hn_net")),
            high_needs_children=row.get("hn_children", 0),
            budget=_pounds(budgets[la_id]) if la_id in budgets else None,
        )
    return found
