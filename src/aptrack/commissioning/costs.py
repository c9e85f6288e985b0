"""What a placement costs: the one owner of the rule. A placement bought under a contract costs
the contract's rate in force, turned into a weekly figure by the placement's agreed hours;
transport is costed apart. Pure functions for one placement, and the selector that loads them.

Conversions (the same ones reconciliation uses to check a line's hours and sessions): a school
day is two sessions of 2.5 hours (25 hours a week is 5 days, as the provider register's daily
rates assume); a term is 13 weeks (39 school weeks in a year)."""

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal

from aptrack.commissioning.models import Contract, PlacementTerms, Rate
from aptrack.commissioning.states import ContractKind, RateUnit
from aptrack.placements.models import Placement

CENT = Decimal("0.01")
HOURS_PER_SESSION = Decimal("2.5")
SESSIONS_PER_DAY = 2
DAYS_PER_WEEK = 5
WEEKS_PER_TERM = 13

# Hours one unit of a charge stands for, given the placement's agreed weekly hours.
HOURS_PER_UNIT: dict[RateUnit, Decimal | None] = {
    RateUnit.HOUR: Decimal(1),
    RateUnit.SESSION: HOURS_PER_SESSION,
    RateUnit.DAY: HOURS_PER_SESSION * SESSIONS_PER_DAY,
    RateUnit.WEEK: None,  # the week's agreed hours
    RateUnit.TERM: None,
}
# Sessions one unit of a charge stands for (a week: ten sessions; an hour: 0.4 of a session).
SESSIONS_PER_UNIT: dict[RateUnit, Decimal] = {
    RateUnit.HOUR: Decimal(1) / HOURS_PER_SESSION,
    RateUnit.SESSION: Decimal(1),
    RateUnit.DAY: Decimal(SESSIONS_PER_DAY),
    RateUnit.WEEK: Decimal(SESSIONS_PER_DAY * DAYS_PER_WEEK),
    RateUnit.TERM: Decimal(SESSIONS_PER_DAY * DAYS_PER_WEEK * WEEKS_PER_TERM),
}


def weekly_cost_of_rate(*, unit: str, amount: Decimal, hours_per_week: Decimal) -> Decimal:
    """A rate per unit as a cost per week of `hours_per_week` agreed hours."""
    unit = RateUnit(unit)
    hours_per_unit = HOURS_PER_UNIT[unit]
    if hours_per_unit is not None:
        cost = amount * hours_per_week / hours_per_unit
    elif unit == RateUnit.WEEK:
        cost = amount
    else:  # a term
        cost = amount / WEEKS_PER_TERM
    return cost.quantize(CENT)


def weekly_cost_of_block_place(contract: Contract) -> Decimal | None:
    """A block contract's price per place per week over its period (calendar weeks)."""
    if not (contract.places and contract.block_price is not None and contract.end_date):
        return None
    weeks = Decimal((contract.end_date - contract.start_date).days + 1) / 7
    return (contract.block_price / contract.places / weeks).quantize(CENT)


def choose_rate(
    rates: Iterable[Rate], *, lot_id: int | None, on: dt.date, unit: str | None = None
) -> Rate | None:
    """The education rate in force on a day among a contract's rates (and a lot's): the latest
    one effective on or before the day and not ended before it, a lot's own rate before the
    contract-wide one. The one rule `rate_on` and the batch reads (`weekly_costs`) use."""
    in_force = [
        rate
        for rate in rates
        if not rate.is_transport
        and rate.effective_from <= on
        and (rate.effective_to is None or rate.effective_to >= on)
        and (rate.lot_id is None or (lot_id is not None and rate.lot_id == lot_id))
        and (unit is None or rate.unit == unit)
    ]
    return min(
        in_force,
        key=lambda rate: (rate.lot_id is None, -rate.effective_from.toordinal(), -rate.pk),
        default=None,
    )


def rate_on(
    *, contract: Contract, lot_id: int | None, on: dt.date, unit: str | None = None
) -> Rate | None:
    """The education rate in force on a day under a contract (and lot): `choose_rate` over the
    contract's rates."""
    rates = Rate.objects.filter(contract=contract, is_transport=False, effective_from__lte=on)
    return choose_rate(rates.exclude(effective_to__lt=on), lot_id=lot_id, on=on, unit=unit)


def placement_weekly_cost(
    *,
    terms: PlacementTerms | None,
    hours_per_week: Decimal,
    on: dt.date,
    rates: Sequence[Rate] | None = None,
) -> Decimal | None:
    """The weekly education cost of a placement bought on these terms with these agreed hours,
    on a day: a block place's share of the block price, else the contract's rate in force.
    None when the placement has no contract or the contract no rate (the caller falls back to
    the provider's published rates). `rates`: the contract's rates, already read."""
    if terms is None:
        return None
    contract = terms.contract
    if contract.kind == ContractKind.BLOCK:
        block = weekly_cost_of_block_place(contract)
        if block is not None:
            return block
    rate = (
        rate_on(contract=contract, lot_id=terms.lot_id, on=on)
        if rates is None
        else choose_rate(rates, lot_id=terms.lot_id, on=on)
    )
    if rate is None:
        return None
    return weekly_cost_of_rate(unit=rate.unit, amount=rate.amount, hours_per_week=hours_per_week)


def placement_cost(
    *, placement: Placement, hours_per_week: Decimal | None = None
) -> Decimal | None:
    """`placement_weekly_cost` for a saved placement, on its start date, with its agreed hours
    (or those about to be agreed)."""
    terms = PlacementTerms.objects.select_related("contract").filter(placement=placement).first()
    hours = hours_per_week if hours_per_week is not None else placement.hours_per_week
    return placement_weekly_cost(terms=terms, hours_per_week=hours, on=placement.start_date)


def weekly_costs(placements: Sequence[tuple[Placement, dt.date]]) -> dict[int, Decimal | None]:
    """`placement_weekly_cost` for many placements at once, each on its own day (three reads):
    the contract's cost for a placement bought on one, else (no contract, or no rate in force)
    its stored `weekly_cost`, the provider register's published rate, as the plan service
    prices it. None when neither prices it."""
    ids = [placement.pk for placement, _ in placements]
    terms = {
        t.placement_id: t
        for t in PlacementTerms.objects.filter(placement_id__in=ids).select_related("contract")
    }
    rates: dict[int, list[Rate]] = {}
    for rate in Rate.objects.filter(
        contract_id__in={t.contract_id for t in terms.values()}, is_transport=False
    ):
        rates.setdefault(rate.contract_id, []).append(rate)
    costs: dict[int, Decimal | None] = {}
    for placement, day in placements:
        found = terms.get(placement.pk)
        cost = (
            placement_weekly_cost(
                terms=found,
                hours_per_week=placement.hours_per_week,
                on=day,
                rates=rates.get(found.contract_id, []),
            )
            if found is not None
            else None
        )
        costs[placement.pk] = cost if cost is not None else placement.weekly_cost
    return costs
