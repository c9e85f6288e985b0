"""What a placement costs: the one owner of the rule. A placement bought under a contract costs
the contract's rate in force, turned into a weekly figure by the placement's agreed hours;
transport is costed apart. Pure functions for one placement, and the selector that loads them.

Conversions (the same ones reconciliation uses to check a line's hours and sessions): a school
day is two sessions of 2.5 hours (25 hours a week is 5 days, as the provider register's daily
rates assume); a term is 13 weeks (39 school weeks in a year)."""

import datetime as dt
from decimal import Decimal

from django.db.models import F, Q

from aptrack.commissioning.models import Contract, PlacementTerms, Rate
from aptrack.commissioning.states import ContractKind, RateUnit

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
    if unit == RateUnit.WEEK:
        cost = amount
    elif unit == RateUnit.TERM:
        cost = amount / WEEKS_PER_TERM
    else:
        cost = amount * hours_per_week / HOURS_PER_UNIT[unit]  # type: ignore[operator]
    return cost.quantize(CENT)


def weekly_cost_of_block_place(contract: Contract) -> Decimal | None:
    """A block contract's price per place per week over its period (calendar weeks)."""
    if not (contract.places and contract.block_price is not None and contract.end_date):
        return None
    weeks = Decimal((contract.end_date - contract.start_date).days + 1) / 7
    return (contract.block_price / contract.places / weeks).quantize(CENT)


def rate_on(
    *, contract: Contract, lot_id: int | None, on: dt.date, unit: str | None = None
) -> Rate | None:
    """The education rate in force on a day under a contract (and lot): the latest one
    effective on or before the day, a lot's own rate before the contract-wide one."""
    rates = Rate.objects.filter(
        Q(lot_id=lot_id) | Q(lot__isnull=True) if lot_id else Q(lot__isnull=True),
        contract=contract,
        effective_from__lte=on,
        is_transport=False,
    ).exclude(effective_to__lt=on)
    if unit is not None:
        rates = rates.filter(unit=unit)
    return rates.order_by(F("lot_id").asc(nulls_last=True), "-effective_from", "-pk").first()


def placement_weekly_cost(
    *, terms: PlacementTerms | None, hours_per_week: Decimal, on: dt.date
) -> Decimal | None:
    """The weekly education cost of a placement bought on these terms with these agreed hours,
    on a day: a block place's share of the block price, else the contract's rate in force.
    None when the placement has no contract or the contract no rate (the caller falls back to
    the provider's published rates)."""
    if terms is None:
        return None
    contract = terms.contract
    if contract.kind == ContractKind.BLOCK:
        block = weekly_cost_of_block_place(contract)
        if block is not None:
            return block
    rate = rate_on(contract=contract, lot_id=terms.lot_id, on=on)
    if rate is None:
        return None
    return weekly_cost_of_rate(unit=rate.unit, amount=rate.amount, hours_per_week=hours_per_week)


def placement_cost(*, placement: object, hours_per_week: Decimal | None = None) -> Decimal | None:
    """`placement_weekly_cost` for a saved placement, on its start date, with its agreed hours
    (or those about to be agreed)."""
    terms = PlacementTerms.objects.select_related("contract").filter(placement=placement).first()
    hours = hours_per_week if hours_per_week is not None else placement.hours_per_week  # type: ignore[attr-defined]
    return placement_weekly_cost(terms=terms, hours_per_week=hours, on=placement.start_date)  # type: ignore[attr-defined]
