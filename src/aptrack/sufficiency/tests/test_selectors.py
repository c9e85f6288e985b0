import datetime as dt

import pytest

from aptrack.children.tests.factories import ChildFactory
from aptrack.organisations.tests.factories import OrganisationFactory, la
from aptrack.placements.tests.factories import ApprovalFactory, PlanFactory, SiteFactory
from aptrack.providers.tests.factories import ProviderFactory
from aptrack.referrals.models import ReferralEvent
from aptrack.referrals.tests.factories import ReferralFactory
from aptrack.sufficiency import selectors

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 11, 23)


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 9, tzinfo=dt.UTC)


def _referral(world, *, on: dt.date, status="APPROVED", postcode="DT1 1AA", **kwargs):
    child = ChildFactory(home_la=la("838"), postcode=postcode, date_of_birth=dt.date(2013, 1, 5))
    return ReferralFactory(
        child=child,
        referrer=world.officer_a,
        status=status,
        created_at=_at(on),
        updated_at=_at(on),
        **kwargs,
    )


def test_percentiles_are_nearest_rank_and_the_median_is_halfway():
    assert selectors.percentile(list(range(1, 11)), 90) == 9
    assert selectors.percentile([5], 90) == 5
    assert selectors.percentile([], 90) is None
    assert selectors.median([1, 2, 3, 10]) == 2.5


def test_postcode_districts():
    assert selectors.postcode_district("dt1 1aa") == "DT1"
    assert selectors.postcode_district("BH151AB") == "BH15"
    assert selectors.postcode_district("") == "Not recorded"


def test_a_referral_waits_until_a_placement_for_it_starts(world):
    waiting = _referral(world, on=dt.date(2026, 11, 1))
    planned = _referral(world, on=dt.date(2026, 11, 3))
    PlanFactory(
        child=planned.child,
        referral=planned,
        status="PLANNED",
        start_date=ON,
        provider=OrganisationFactory(kind="PROVIDER"),
    )
    placed = _referral(world, on=dt.date(2026, 10, 1))
    PlanFactory(
        child=placed.child,
        referral=placed,
        start_date=dt.date(2026, 10, 21),
        provider=OrganisationFactory(kind="PROVIDER"),
    )
    _referral(world, on=dt.date(2026, 11, 1), status="DECLINED")
    _referral(world, on=dt.date(2026, 11, 1), status="DRAFT")
    rows = selectors.list_awaiting_placement(la_id=la("838").pk, on=ON)
    assert [(r.referral_id, r.days_waiting) for r in rows] == [(waiting.pk, 22), (planned.pk, 20)]
    assert rows[0].area == "DT1"
    assert rows[0].key_stage == "KS3"  # Year 8 in November 2026


def test_a_wait_counts_from_the_first_submission(world):
    referral = _referral(world, on=dt.date(2026, 9, 1))
    ReferralEvent.objects.create(
        referral=referral,
        from_status="DRAFT",
        to_status="SUBMITTED",
        by=world.officer_a,
        at=_at(dt.date(2026, 9, 10)),
    )
    PlanFactory(
        child=referral.child,
        referral=referral,
        start_date=dt.date(2026, 10, 1),
        provider=OrganisationFactory(kind="PROVIDER"),
    )
    [wait] = selectors.list_waits(la_id=la("838").pk, start=dt.date(2026, 1, 1), end=ON)
    assert (wait.referred_on, wait.started_on, wait.days) == (
        dt.date(2026, 9, 10),
        dt.date(2026, 10, 1),
        21,
    )


def test_a_sixth_day_miss_is_counted_by_need(world):
    child = ChildFactory(home_la=la("838"))
    ReferralFactory(
        child=child,
        referrer=world.officer_a,
        route="PEX",
        primary_reason="PEX",
        status="SUBMITTED",
        first_day_of_exclusion=dt.date(2026, 11, 2),
    )
    result = selectors.get_sufficiency(la_id=la("838").pk, on=ON)
    assert result.totals.misses == 1
    [need] = [line for line in result.breakdowns["need"] if line.misses]
    assert need.label == "Permanent exclusion"


def test_places_and_vacancies_of_the_providers_the_la_can_use(world):
    dorset = la("838")
    used = ProviderFactory(
        name="Harbour Tuition",
        capacity=10,
        offers_tier_2=True,
        offers_tier_3=True,
        key_stages=["KS3", "KS4"],
        home_la=la("204"),
    )
    ApprovalFactory(provider=used, local_authority=dorset, status="APPROVED")
    SiteFactory(provider=used, postcode="BH15 1AB")
    for _ in range(3):
        PlanFactory(child=ChildFactory(home_la=dorset), provider=used.organisation)
    ProviderFactory(name="Elsewhere", capacity=50, home_la=la("204"))  # not Dorset's
    rows = {p.name: p for p in selectors.list_provider_places(la_id=dorset.pk, on=ON)}
    assert "Elsewhere" not in rows
    assert (rows["Harbour Tuition"].places, rows["Harbour Tuition"].vacancies) == (10, 7)
    result = selectors.get_sufficiency(la_id=dorset.pk, on=ON)
    tiers = {line.label: line for line in result.breakdowns["tier"]}
    assert (tiers["Tier 2"].places, tiers["Tier 3"].vacancies) == (10, 7)
    areas = {line.label: line for line in result.breakdowns["area"]}
    assert areas["BH15"].vacancies == 7


def test_the_projection_scales_last_year_by_the_trend(world):
    # Autumn 2025: 2; Spring 2026: 2; Summer 2026: 4 referrals. Year before: Spring 2025 1,
    # Summer 2025 1, Autumn 2024 2 -> next term (Spring 2027) = Spring 2026 (2) x 8 / 4 = 4.
    for day, n in [
        (dt.date(2024, 10, 1), 2),
        (dt.date(2025, 2, 1), 1),
        (dt.date(2025, 5, 1), 1),
        (dt.date(2025, 10, 1), 2),
        (dt.date(2026, 2, 1), 2),
        (dt.date(2026, 5, 1), 4),
    ]:
        for _ in range(n):
            _referral(world, on=day, status="SUBMITTED")
    projection = selectors.project_referrals(la_id=la("838").pk, on=ON)
    assert projection.next_term.label == "Spring 2027"
    assert [n for _, n in projection.terms] == [2, 1, 1, 2, 2, 4, 0]
    assert projection.projected == 4


def test_with_no_year_before_the_projection_is_the_last_term(world):
    _referral(world, on=dt.date(2026, 5, 1), status="SUBMITTED")
    projection = selectors.project_referrals(la_id=la("838").pk, on=ON)
    assert projection.projected == 1
    assert "last whole term" in projection.method


def test_another_las_referrals_are_not_counted(world):
    OrganisationFactory(kind="PROVIDER")
    child = ChildFactory(home_la=la("204"))
    ReferralFactory(child=child, referrer=world.officer_b, status="APPROVED")
    assert selectors.list_awaiting_placement(la_id=la("838").pk, on=ON) == []


def _block_contract(la_, provider, *, reference, places, start, end):
    from decimal import Decimal

    from django.utils import timezone

    from aptrack.commissioning.models import Contract

    return Contract.objects.create(
        local_authority=la_,
        provider=provider.organisation,
        reference=reference,
        kind="BLOCK",
        start_date=start,
        end_date=end,
        places=places,
        block_price=Decimal(1000),
        created_at=timezone.now(),
    )


def _on_contract(world, contract, provider, **placement):
    from django.utils import timezone

    from aptrack.commissioning.models import PlacementTerms

    plan = PlanFactory(
        child=ChildFactory(home_la=la("838")), provider=provider.organisation, **placement
    )
    PlacementTerms.objects.create(
        placement=plan, contract=contract, set_by=world.officer_a, set_at=timezone.now()
    )


def test_block_places_contracted_against_places_used_today(world):
    dorset = la("838")
    harbour = ProviderFactory(
        name="Harbour Tuition", capacity=20, offers_tier_2=True, offers_tier_3=True, home_la=dorset
    )
    SiteFactory(provider=harbour, postcode="BH15 1AB")
    autumn = (dt.date(2026, 9, 1), dt.date(2027, 7, 31))
    five = _block_contract(
        dorset, harbour, reference="B5", places=5, start=autumn[0], end=autumn[1]
    )
    for _ in range(2):
        _on_contract(world, five, harbour, start_date=dt.date(2026, 9, 7))
    _on_contract(world, five, harbour, status="PLANNED", start_date=ON)  # not running yet
    _on_contract(  # ended before the day
        world,
        five,
        harbour,
        status="ENDED",
        start_date=dt.date(2026, 9, 7),
        end_date=dt.date(2026, 10, 16),
    )
    _on_contract(world, five, harbour, start_date=ON + dt.timedelta(days=1))  # starts tomorrow
    full = _block_contract(
        dorset, harbour, reference="B2", places=2, start=autumn[0], end=autumn[1]
    )
    for _ in range(3):  # used beyond its places: none unused, and hides none of B5's
        _on_contract(world, full, harbour, start_date=dt.date(2026, 9, 7))
    _block_contract(  # ended last year
        dorset,
        harbour,
        reference="OLD",
        places=9,
        start=dt.date(2025, 9, 1),
        end=dt.date(2026, 7, 31),
    )
    _block_contract(
        la("204"), harbour, reference="HACKNEY", places=7, start=autumn[0], end=autumn[1]
    )
    elsewhere = ProviderFactory(
        name="Moor AP", offers_tier_2=False, offers_tier_3=True, home_la=la("204")
    )
    _block_contract(dorset, elsewhere, reference="B-MOOR", places=4, start=autumn[0], end=autumn[1])

    result = selectors.get_sufficiency(la_id=dorset.pk, on=ON)
    total = result.totals
    assert (total.block_contracted, total.block_used, total.block_unused) == (11, 5, 7)
    tiers = {line.label: line for line in result.breakdowns["tier"]}
    assert (tiers["Tier 2"].block_contracted, tiers["Tier 2"].block_used) == (7, 5)
    assert tiers["Tier 2"].block_unused == 3
    # Moor AP is no provider the LA otherwise uses, but its block contract counts, under its tier.
    assert (tiers["Tier 3"].block_contracted, tiers["Tier 3"].block_unused) == (11, 7)
    assert tiers["Tier 1"].block_contracted == 0
    areas = {line.label: line for line in result.breakdowns["area"]}
    assert (areas["BH15"].block_contracted, areas["BH15"].block_unused) == (7, 3)
    assert areas["Not recorded"].block_unused == 4
