"""One LA's data read by every page that counts a rule: the caseworker's lists, the dashboard,
its drill-down and the committee pack name the same children for the same day (docs/rules.md)."""

import datetime as dt
from decimal import Decimal
from urllib.parse import parse_qs

import pytest
from django.utils import timezone

from aptrack.accounts.tests.factories import UserFactory
from aptrack.children.tests.factories import ChildFactory
from aptrack.organisations.models import Organisation
from aptrack.organisations.tests.factories import EstablishmentFactory, OrganisationFactory
from aptrack.oversight.measures.build import build_dashboard, children_for
from aptrack.oversight.pack.build import build_pack
from aptrack.oversight.tests import dashboard_data
from aptrack.oversight.tests.dashboard_data import AUTUMN, TODAY
from aptrack.placements import rules
from aptrack.placements import selectors as placement_selectors
from aptrack.placements.tests.factories import PlanFactory
from aptrack.referrals import selectors as referral_selectors
from aptrack.referrals.tests.factories import ReferralFactory

dataset = dashboard_data.dataset

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(dataset):
    """The dashboard dataset, with the cases where the old copies of each rule disagreed."""
    dorset, hackney = dataset.dorset, dataset.hackney
    provider = dataset.p1.provider
    school = OrganisationFactory(
        kind="SCHOOL",
        establishment=EstablishmentFactory(local_authority=dorset),
        local_authority=dorset,
    )
    extra = {}
    # A school's commission for a Dorset child: open-ended with no justification, never
    # reviewed, part-time. Dorset answers for it.
    extra["school_placed"] = ChildFactory(home_la=dorset)
    PlanFactory(
        child=extra["school_placed"],
        provider=provider,
        commissioning_la=None,
        commissioning_school=school,
        tier=1,
        start_date=dt.date(2026, 9, 7),
        planned_end_date=None,
        hours_per_week=Decimal(10),
        part_time_reason="Medical: two hours a day",
    )
    # Hackney's commission for a Dorset child, long past its end: Hackney's, not Dorset's.
    extra["placed_by_hackney"] = ChildFactory(home_la=dorset)
    PlanFactory(
        child=extra["placed_by_hackney"],
        provider=provider,
        commissioning_la=hackney,
        start_date=dt.date(2026, 6, 1),
        planned_end_date=dt.date(2026, 7, 1),
    )
    # A tier 1 placement past its planned end drifts as a tier 2 one does.
    extra["tier_1_late"] = ChildFactory(home_la=dorset)
    PlanFactory(
        child=extra["tier_1_late"],
        provider=provider,
        tier=1,
        start_date=dt.date(2026, 10, 19),
        planned_end_date=dt.date(2026, 11, 20),
    )
    # c3 moves: the PRU placement ended on 16 October, a new one started on 19 October.
    PlanFactory(
        child=dataset.c3,
        provider=provider,
        start_date=dt.date(2026, 10, 19),
        planned_end_date=dt.date(2026, 12, 18),
    )
    # A permanent exclusion of a child whose placement ran on: provision by the sixth day.
    extra["excluded_in_ap"] = ChildFactory(home_la=dorset)
    PlanFactory(
        child=extra["excluded_in_ap"],
        provider=provider,
        start_date=dt.date(2026, 11, 9),
        planned_end_date=dt.date(2026, 12, 18),
    )
    la_org = Organisation.objects.filter(kind="LOCAL_AUTHORITY", local_authority=dorset).first()
    officer = UserFactory(organisation=la_org, role="LA_OFFICER")
    ReferralFactory(
        child=extra["excluded_in_ap"],
        referrer=officer,
        route="PEX",
        primary_reason="PEX",
        status="APPROVED",
        first_day_of_exclusion=dt.date(2026, 11, 12),
        created_at=timezone.now(),
    )
    return dataset, extra, officer


def _drilled(board, key):
    params = parse_qs(board.figure(key).drilldown)
    return set(
        children_for(
            la=board.la,
            period=board.period,
            today=TODAY,
            measure=params["measure"][0],
            value=None,
            cohort=params.get("cohort", ["period"])[0],
        )
    )


def _views(world):
    dataset, _, officer = world
    board = build_dashboard(la=dataset.dorset, period=AUTUMN, today=TODAY)
    pack = build_pack(
        la=dataset.dorset,
        period=AUTUMN,
        today=TODAY,
        for_publication=False,
        generated_at=timezone.now(),
    )
    home = placement_selectors.caseworker_home(user=officer, on=TODAY)
    return board, pack, home


def _agree(board, pack, key, children):
    assert board.figure(key).count == len(children), key
    assert _drilled(board, key) == children, key
    assert pack.dashboard.figure(key).count == len(children), key


def test_the_las_placements_are_the_same_children_everywhere(world):
    dataset, extra, _ = world
    board, pack, _ = _views(world)
    running = {
        p.child for p in rules.la_placements(dataset.dorset.pk, on=TODAY).select_related("child")
    }
    assert running == {
        dataset.c1,
        dataset.c2,
        dataset.c3,
        dataset.c4,
        extra["school_placed"],
        extra["tier_1_late"],
        extra["excluded_in_ap"],
    }
    _agree(board, pack, "children_in_ap", running)


def test_overdue_reviews_are_the_same_children_everywhere(world):
    dataset, extra, _ = world
    board, pack, home = _views(world)
    listed = {p.child for p in home.reviews_overdue}
    # c2 and c4 never reviewed; the school's placement from 7 September, never reviewed.
    assert listed == {dataset.c2, dataset.c4, extra["school_placed"]}
    _agree(board, pack, "reviews_overdue", listed)


def test_drift_is_the_same_children_everywhere(world):
    dataset, extra, _ = world
    board, pack, home = _views(world)
    listed = {row.placement.child for row in home.drift}
    # c4 past its planned end; the tier 1 placement past its end; the school's open-ended one
    # with no justification. c2 is open-ended with one; Hackney's placement is Hackney's.
    assert listed == {dataset.c4, extra["tier_1_late"], extra["school_placed"]}
    _agree(board, pack, "drift", listed)


def test_the_sixth_day_duty_is_the_same_children_everywhere(world):
    dataset, extra, _ = world
    board, pack, home = _views(world)
    missed_on_home = {row.child for row in home.sixth_day if row.missed}
    missed_on_referrals = {
        row.child
        for row in referral_selectors.list_sixth_day_at_risk(la_id=dataset.dorset.pk, on=TODAY)
    }
    assert (
        missed_on_home == missed_on_referrals == {dataset.c6}
    )  # excluded 2 November, no provision
    _agree(board, pack, "sixth_day_missed", missed_on_home)
    # c1 (placed two days after exclusion) and the child whose placement ran on had provision.
    owed = {
        d.child
        for d in referral_selectors.list_sixth_day_duties(
            la_id=dataset.dorset.pk, on=TODAY, due_from=AUTUMN.start, due_to=TODAY
        )
    }
    assert owed == {dataset.c1, dataset.c6, extra["excluded_in_ap"]}
    _agree(board, pack, "permanent_exclusions", owed)
    _agree(board, pack, "sixth_day_compliance", owed - missed_on_home)


def test_placement_moves_and_part_time_are_the_same_children_everywhere(world):
    dataset, extra, _ = world
    board, pack, _ = _views(world)
    moved = {
        p.child
        for p in rules.la_placements(dataset.dorset.pk)
        .filter(rules.moved_q(AUTUMN.start, TODAY))
        .select_related("child")
    }
    assert moved == {dataset.c3}
    _agree(board, pack, "placement_moves", moved)
    part_time = {
        p.child
        for p in rules.la_placements(dataset.dorset.pk, on=TODAY)
        .filter(rules.part_time_q())
        .select_related("child")
    }
    assert part_time == {dataset.c2, extra["school_placed"]}
    _agree(board, pack, "part_time_now", part_time)
