"""A small hand-built case for the spend selectors, with every figure worked out by hand.

Dorset (the world's LA) on Friday 27 November 2026, financial year April 2026 to March 2027,
on the standard term dates (Autumn 1 to 23 October, Autumn 2 2 November to 18 December, Spring 1
4 January to 12 February, Spring 2 22 February to 25 March):

- A: Harbour (a PRU), tier 2, from a health-needs referral, 25 hours a week on a
  high-needs spot contract at £100 a day (£500 a week), 7 September to a planned 11 December.
  Approved: September, £1,700 for 34 attended sessions. Committed: 1 October to 11 December is
  17 + 30 = 47 school days, 9.4 weeks, £4,700.
- B: Moorland (tuition, non-school), tier 1, commissioned by School Y, 10 hours a week on a
  school-funded contract at £20 an hour (£200 a week), open-ended from 2 November. Committed:
  2 November to 31 March is 35 + 30 + 24 = 89 school days, 17.8 weeks, £3,560.
- C: Harbour, tier 3, 13 April to 17 July, back to the home school, sustained at 12 weeks.
  Approved: £6,000 for 100 attended sessions; nothing committed.
- An approved line of Moorland's matched to no placement: £100, high-needs block.
- Not counted: a queried line (£999), a line approved after the day (£888, which also leaves
  A's committed weeks from 1 October), and Hackney's approved line (£777).
- The world's own placement of child A (no contract, no published rate) is unpriced.
- The AP budget for 2026: £20,000.

Totals: actual £7,800; committed £8,260; forecast £16,060. High-needs block: actual £7,800,
committed £4,700, forecast £12,500 (39.0% and 62.5% of the budget, £7,500 under it).
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from aptrack.children.models import Child
from aptrack.children.tests.factories import ChildFactory, PlacementFactory
from aptrack.commissioning.models import (
    Contract,
    HighNeedsBudget,
    Invoice,
    InvoiceLine,
    PlacementTerms,
    Rate,
)
from aptrack.commissioning.states import Funder, LineStatus, RateUnit
from aptrack.organisations.tests.factories import OrganisationFactory
from aptrack.placements.models import FollowUp, Placement
from aptrack.providers.tests.factories import ProviderFactory
from aptrack.referrals.models import Route
from aptrack.referrals.tests.factories import ReferralFactory

ON = dt.date(2026, 11, 27)
APPROVED_AT = dt.datetime(2026, 10, 5, 10, tzinfo=dt.UTC)


@dataclass
class Case:
    harbour: Any
    moorland: Any
    a: Placement
    b: Placement
    c: Placement
    child_a: Child
    child_b: Child
    child_c: Child


def _contract(la: Any, provider: Any, reference: str, funder: str, unit: str, amount: str):
    contract = Contract.objects.create(
        local_authority=la,
        provider=provider,
        reference=reference,
        kind="SPOT",
        funder=funder,
        start_date=dt.date(2026, 4, 1),
        created_at=timezone.now(),
    )
    Rate.objects.create(
        contract=contract, unit=unit, amount=Decimal(amount), effective_from=dt.date(2026, 4, 1)
    )
    return contract


def _buy(placement: Placement, contract: Contract, by: Any) -> None:
    PlacementTerms.objects.create(
        placement=placement, contract=contract, set_by=by, set_at=timezone.now()
    )


def _line(
    invoice: Invoice,
    row: int,
    *,
    placement: Placement | None,
    la: Any,
    start: dt.date,
    end: dt.date,
    net: str,
    sessions: int | None = None,
    status: str = LineStatus.APPROVED,
    decided_at: dt.datetime | None = APPROVED_AT,
) -> InvoiceLine:
    terms = PlacementTerms.objects.filter(placement=placement).first() if placement else None
    return InvoiceLine.objects.create(
        invoice=invoice,
        row_number=row,
        upn="",
        service_from=start,
        service_to=end,
        unit=RateUnit.SESSION,
        quantity=Decimal(sessions or 1),
        unit_rate=Decimal(net),
        net_amount=Decimal(net),
        vat_amount=Decimal(0),
        service_weekdays=5,
        provider=invoice.provider,
        child=placement.child if placement else None,
        placement=placement,
        local_authority=la,
        contract=terms.contract if terms else None,
        attended_sessions=sessions,
        status=status,
        decided_at=decided_at if status == LineStatus.APPROVED else None,
    )


def _invoice(provider: Any, number: str) -> Invoice:
    return Invoice.objects.create(
        provider=provider,
        invoice_number=number,
        invoice_date=dt.date(2026, 10, 1),
        channel="UPLOAD",
        received_at=timezone.now(),
    )


def build(world: Any) -> Case:
    dorset, hackney = world.child_a.home_la, world.child_b.home_la
    harbour = OrganisationFactory(name="Harbour Learning", kind="PROVIDER", local_authority=dorset)
    ProviderFactory(organisation=harbour, kind="PRU", setting_type="", ukprn="10099001")
    moorland = OrganisationFactory(name="Moorland Tuition", kind="PROVIDER", local_authority=dorset)
    ProviderFactory(organisation=moorland, kind="TUITION")
    school = world.school_y.organisation
    high_needs = _contract(dorset, harbour, "HN-1", Funder.HIGH_NEEDS, RateUnit.DAY, "100")
    by_school = _contract(dorset, moorland, "SCH-1", Funder.SCHOOL, RateUnit.HOUR, "20")

    child_a = ChildFactory(legal_last_name="Ashdown", home_la=dorset)
    child_b = ChildFactory(legal_last_name="Brackley", home_la=dorset)
    child_c = ChildFactory(legal_last_name="Corrigan", home_la=dorset)
    referral = ReferralFactory(child=child_a, route=Route.HEALTH, referrer=world.officer_a)
    a = PlacementFactory(
        child=child_a,
        provider=harbour,
        referral=referral,
        tier=2,
        start_date=dt.date(2026, 9, 7),
        planned_end_date=dt.date(2026, 12, 11),
        hours_per_week=Decimal(25),
    )
    b = PlacementFactory(
        child=child_b,
        provider=moorland,
        commissioning_la=None,
        commissioning_school=school,
        tier=1,
        start_date=dt.date(2026, 11, 2),
        hours_per_week=Decimal(10),
    )
    c = PlacementFactory(
        child=child_c,
        provider=harbour,
        tier=3,
        status="ENDED",
        start_date=dt.date(2026, 4, 13),
        planned_end_date=dt.date(2026, 7, 17),
        end_date=dt.date(2026, 7, 17),
        destination="HOME_SCHOOL",
    )
    for placement, contract in ((a, high_needs), (b, by_school), (c, high_needs)):
        _buy(placement, contract, world.finance_a)
    FollowUp.objects.create(
        placement=c,
        weeks_after=12,
        due_date=dt.date(2026, 10, 9),
        done_date=dt.date(2026, 10, 9),
        destination_sustained=True,
    )
    HighNeedsBudget.objects.create(
        local_authority=dorset, financial_year=2026, amount=Decimal(20000), set_at=timezone.now()
    )
    HighNeedsBudget.objects.create(
        local_authority=hackney, financial_year=2026, amount=Decimal(50000), set_at=timezone.now()
    )

    invoice = _invoice(harbour, "H-1")
    late = dt.datetime(2026, 12, 1, 10, tzinfo=dt.UTC)
    _line(invoice, 1, placement=a, la=dorset, start=dt.date(2026, 9, 7), end=dt.date(2026, 9, 30),
          net="1700.00", sessions=34)  # fmt: skip
    _line(invoice, 2, placement=c, la=dorset, start=dt.date(2026, 4, 13), end=dt.date(2026, 7, 17),
          net="6000.00", sessions=100)  # fmt: skip
    _line(invoice, 3, placement=a, la=dorset, start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 30),
          net="999.00", sessions=30, status=LineStatus.QUERIED)  # fmt: skip
    _line(invoice, 4, placement=a, la=dorset, start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 30),
          net="888.00", sessions=30, decided_at=late)  # fmt: skip
    _line(_invoice(moorland, "M-1"), 1, placement=None, la=dorset, start=dt.date(2026, 10, 1),
          end=dt.date(2026, 10, 2), net="100.00")  # fmt: skip
    hackney_placement = Placement.objects.get(child=world.child_b)
    _line(_invoice(hackney_placement.provider, "Z-1"), 1, placement=hackney_placement,
          la=hackney, start=dt.date(2026, 9, 7), end=dt.date(2026, 9, 30), net="777.00",
          sessions=20)  # fmt: skip
    return Case(harbour, moorland, a, b, c, child_a, child_b, child_c)
