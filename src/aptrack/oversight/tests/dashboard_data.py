"""A small known dataset for the dashboard's figures, with every expected number worked out by
hand in the comments. Import the `dataset` fixture into a test module to use it.

Today is Monday 23 November 2026; the autumn term runs 1 September to 31 December 2026.
Dorset (838) commissions everything below; Hackney (204) has one child of its own.

child   year  SEN  other            placement (provider, tier, dates, weekly cost)
c1      11    E    FSM, male        PRU (Dorset site), tier 2, 16 Sep 2026 -, ends 18 Dec; £500; PEx 14 Sep
c2      7     E    looked after, F  Tuition (Hackney), tier 3, 5 Oct 2026 -, open-ended, part-time; £300
c3      9     K    male             PRU, tier 2, 7 Sep 2026 - 16 Oct 2026, back to home school; £400
c4      11    N    male             Tuition, tier 2, 1 Jun 2026 -, planned end 1 Oct 2026 (overdue); no cost
c5      10    N                     PRU, tier 2, 1 Sep 2025 - 31 Mar 2026, NEET (last year only)
c6      10    N                     none: PEx from 2 Nov 2026, no provision (sixth day missed)
c7      8     N                     a planned placement only (never counted)
hackney 9     N                     PRU, commissioned by Hackney
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from aptrack.accounts.tests.factories import UserFactory
from aptrack.attendance.models import PlacementWeek
from aptrack.children.models import Child
from aptrack.children.tests.factories import ChildFactory
from aptrack.organisations.models import LocalAuthority, Organisation
from aptrack.organisations.tests.factories import OrganisationFactory, la
from aptrack.oversight.measures.periods import Period
from aptrack.placements.models import Placement, Review
from aptrack.placements.tests.factories import PlanFactory, SiteFactory
from aptrack.providers.tests.factories import ProviderFactory
from aptrack.referrals.tests.factories import ReferralFactory

TODAY = dt.date(2026, 11, 23)
AUTUMN = Period.term(2026, 0)
LAST_YEAR = Period.academic_year(2025)


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC)


@dataclass
class Dataset:
    dorset: LocalAuthority
    hackney: LocalAuthority
    c1: Child
    c2: Child
    c3: Child
    c4: Child
    c5: Child
    c6: Child
    c7: Child
    hackney_child: Child
    p1: Placement
    p2: Placement


def _week(placement: Placement, monday: dt.date, **counts: int) -> PlacementWeek:
    return PlacementWeek.objects.create(
        placement=placement,
        week_start_date=monday,
        child_id=placement.child_id,
        local_authority_id=placement.commissioning_la_id,
        provider_id=placement.provider_id,
        **counts,
    )


@pytest.fixture
def dataset(db: object) -> Dataset:
    dorset, hackney = la("838"), la("204")
    la_org = Organisation.objects.filter(
        kind="LOCAL_AUTHORITY", local_authority=dorset
    ).first() or (
        OrganisationFactory(name="Dorset Council", kind="LOCAL_AUTHORITY", local_authority=dorset)
    )
    caseworker = UserFactory(username="data_officer", organisation=la_org, role="LA_OFFICER")
    pru = ProviderFactory(
        organisation=OrganisationFactory(
            name="Heathside PRU", kind="PROVIDER", local_authority=dorset
        ),
        kind="PRU",
        setting_type="",
        ukprn="10000001",
        home_la=dorset,
    )
    tuition = ProviderFactory(
        organisation=OrganisationFactory(
            name="Far Tuition", kind="PROVIDER", local_authority=hackney
        ),
        kind="TUITION",
        home_la=hackney,
    )
    dorset_site = SiteFactory(provider=pru, local_authority=dorset)

    def child(born: dt.date, **fields: object) -> Child:
        return ChildFactory(home_la=fields.pop("home_la", dorset), date_of_birth=born, **fields)

    c1 = child(dt.date(2011, 5, 1), sen_status="E", fsm=True, sex="M", ethnicity="WBRI")  # Year 11
    c2 = child(
        dt.date(2015, 1, 10),
        sen_status="E",
        looked_after=True,
        responsible_la=dorset,
        sex="F",
        ethnicity="BAFR",
    )  # Year 7
    c3 = child(dt.date(2012, 10, 1), sen_status="K", sex="M")  # Year 9
    c4 = child(dt.date(2010, 12, 1), sex="M")  # Year 11
    c5 = child(dt.date(2011, 12, 1))  # Year 10
    c6 = child(dt.date(2011, 11, 1))  # Year 10
    c7 = child(dt.date(2013, 1, 1))  # Year 8
    hackney_child = child(dt.date(2012, 1, 1), home_la=hackney)

    r1 = ReferralFactory(
        child=c1,
        referrer=caseworker,
        route="PEX",
        primary_reason="PEX",
        status="APPROVED",
        first_day_of_exclusion=dt.date(2026, 9, 14),
        created_at=_at(dt.date(2026, 9, 14)),
    )
    r2 = ReferralFactory(
        child=c2,
        referrer=caseworker,
        route="EHCP_NAMED",
        primary_reason="EHCP",
        status="APPROVED",
        created_at=_at(dt.date(2026, 10, 1)),
    )
    ReferralFactory(
        child=c6,
        referrer=caseworker,
        route="PEX",
        primary_reason="PEX",
        status="SUBMITTED",
        first_day_of_exclusion=dt.date(2026, 11, 2),
        created_at=_at(dt.date(2026, 11, 2)),
    )
    ReferralFactory(
        child=c3, referrer=caseworker, status="DRAFT", created_at=_at(dt.date(2026, 11, 10))
    )

    def plan(child: Child, provider, **fields: object) -> Placement:  # type: ignore[no-untyped-def]
        return PlanFactory(
            child=child, provider=provider.organisation, commissioning_la=child.home_la, **fields
        )

    p1 = plan(
        c1,
        pru,
        tier=2,
        start_date=dt.date(2026, 9, 16),
        planned_end_date=dt.date(2026, 12, 18),
        weekly_cost=Decimal(500),
        referral=r1,
        site=dorset_site,
    )
    p2 = plan(
        c2,
        tuition,
        tier=3,
        start_date=dt.date(2026, 10, 5),
        planned_end_date=None,
        weekly_cost=Decimal(300),
        referral=r2,
        part_time_reason="Medical: building up hours",
        open_ended_justification="Awaiting a place",
    )
    plan(
        c3,
        pru,
        tier=2,
        start_date=dt.date(2026, 9, 7),
        end_date=dt.date(2026, 10, 16),
        status="ENDED",
        weekly_cost=Decimal(400),
        destination="HOME_SCHOOL",
        end_reason="COMPLETED",
    )
    plan(c4, tuition, tier=2, start_date=dt.date(2026, 6, 1), planned_end_date=dt.date(2026, 10, 1))
    plan(
        c5,
        pru,
        tier=2,
        start_date=dt.date(2025, 9, 1),
        end_date=dt.date(2026, 3, 31),
        status="ENDED",
        destination="NEET",
        end_reason="BREAKDOWN",
    )
    plan(c7, pru, tier=2, start_date=dt.date(2026, 12, 1), status="PLANNED")
    plan(hackney_child, pru, tier=2, start_date=dt.date(2026, 9, 7))
    # c1 reviewed on 1 November: next due 13 December, not overdue. c2 and c4 never reviewed:
    # due 16 November and 13 July, both overdue.
    Review.objects.create(
        placement=p1,
        held_date=dt.date(2026, 11, 1),
        decision="CONTINUE",
        next_review_date=dt.date(2026, 12, 13),
        recorded_by=caseworker,
        recorded_at=timezone.now(),
    )
    # Attendance, week of 16 November: c1 8 of 10 sessions, c2 5 of 10.
    _week(p1, dt.date(2026, 11, 16), present=8, unauthorised=2)
    _week(p2, dt.date(2026, 11, 16), present=5, authorised=5, part_time_sessions=5)
    return Dataset(dorset, hackney, c1, c2, c3, c4, c5, c6, c7, hackney_child, p1, p2)
