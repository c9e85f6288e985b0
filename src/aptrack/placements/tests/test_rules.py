"""The placement rules every figure counts by (docs/rules.md), at their edges."""

import datetime as dt
from decimal import Decimal

import pytest

from aptrack.children.tests.factories import ChildFactory
from aptrack.organisations.tests.factories import EstablishmentFactory, OrganisationFactory, la
from aptrack.placements import rules
from aptrack.placements.models import Placement
from aptrack.placements.tests.factories import PlanFactory

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 12, 1)


@pytest.fixture
def provider():
    return OrganisationFactory(kind="PROVIDER")


def _plan(provider, **kwargs):
    kwargs.setdefault("child", ChildFactory(home_la=la("838")))
    return PlanFactory(provider=provider, **kwargs)


def _matching(condition, *placements):
    return set(Placement.objects.filter(condition, pk__in=[p.pk for p in placements]))


# --- the LA's placements ------------------------------------------------------------------------


def test_an_la_answers_for_its_commissions_and_schools_commissions_for_its_children(provider):
    dorset, hackney = la("838"), la("204")
    school = OrganisationFactory(
        kind="SCHOOL", establishment=EstablishmentFactory(local_authority=dorset)
    )
    commissioned = _plan(provider, child=ChildFactory(home_la=hackney), commissioning_la=dorset)
    school_for_resident = _plan(provider, commissioning_la=None, commissioning_school=school)
    school_for_other = _plan(
        provider,
        child=ChildFactory(home_la=hackney),
        commissioning_la=None,
        commissioning_school=school,
    )
    other_la_for_resident = _plan(provider, commissioning_la=hackney)
    everyone = (commissioned, school_for_resident, school_for_other, other_la_for_resident)
    assert _matching(rules.la_placements_q(dorset.pk), *everyone) == {
        commissioned,
        school_for_resident,
    }
    assert _matching(rules.la_placements_q(hackney.pk), *everyone) == {
        school_for_other,
        other_la_for_resident,
    }
    # The expression form says the same for every placement, and so does the one in hand.
    for placement in Placement.objects.filter(pk__in=[p.pk for p in everyone]).annotate(
        la=rules.answering_la()
    ):
        assert placement.la == rules.answering_la_id(placement)
        assert placement in rules.la_placements(placement.la)
    assert rules.answering_la_ids(child_ids=[school_for_other.child_id]) == {hackney.pk}
    # With one child in hand, the child's form picks the same of that child's placements.
    for authority in (dorset, hackney):
        for placement in everyone:
            child = placement.child
            theirs = Placement.objects.filter(child=child)
            assert set(theirs.filter(rules.child_la_placements_q(authority.pk, child))) == set(
                theirs.filter(rules.la_placements_q(authority.pk))
            ), (authority, placement)


@pytest.mark.parametrize(
    ("changes", "runs"),
    [
        ({"start_date": ON}, True),  # starts that day
        ({"start_date": ON + dt.timedelta(days=1)}, False),
        ({"status": "ENDED", "end_date": ON}, True),  # its last day
        ({"status": "ENDED", "end_date": ON - dt.timedelta(days=1)}, False),
        ({"status": "PLANNED"}, False),
        ({"status": "CANCELLED"}, False),
    ],
)
def test_a_placement_runs_from_its_start_to_its_end_inclusive(provider, changes, runs):
    placement = _plan(provider, **{"start_date": dt.date(2026, 9, 7), **changes})
    assert (placement in rules.la_placements(la("838").pk, on=ON)) is runs


# --- overdue review -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tier", "days", "overdue"),
    [
        (2, 42, False),  # due that day: not yet overdue
        (2, 43, True),
        (None, 43, True),  # no tier: the tightest cadence
        (1, 42, False),
    ],
)
def test_a_review_is_overdue_the_day_after_its_cadence(provider, tier, days, overdue):
    start = ON - dt.timedelta(days=days)
    placement = _plan(provider, tier=tier, start_date=start)
    found = rules.with_review_base(Placement.objects.filter(pk=placement.pk)).filter(
        rules.overdue_review_q(ON)
    )
    assert found.exists() is overdue


def test_an_ended_placement_is_never_overdue_for_review(provider):
    placement = _plan(
        provider, start_date=dt.date(2026, 1, 5), status="ENDED", end_date=dt.date(2026, 7, 1)
    )
    found = rules.with_review_base(Placement.objects.filter(pk=placement.pk)).filter(
        rules.overdue_review_q(ON)
    )
    assert not found.exists()


# --- drift ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "reasons"),
    [
        ({"planned_end_date": ON}, []),  # ends today: on plan
        ({"planned_end_date": ON - dt.timedelta(days=1)}, [rules.PAST_PLANNED_END]),
        ({"tier": 1, "planned_end_date": ON - dt.timedelta(days=1)}, [rules.PAST_PLANNED_END]),
        ({"tier": 3, "planned_end_date": ON - dt.timedelta(days=1)}, [rules.PAST_PLANNED_END]),
        ({"planned_end_date": ON + dt.timedelta(days=9), "maximum_end_date": ON}, []),
        (
            {
                "planned_end_date": ON + dt.timedelta(days=9),
                "maximum_end_date": ON - dt.timedelta(days=1),
            },
            [rules.PAST_MAXIMUM],
        ),
        (
            {
                "planned_end_date": ON - dt.timedelta(days=2),
                "maximum_end_date": ON - dt.timedelta(days=1),
            },
            [rules.PAST_PLANNED_END, rules.PAST_MAXIMUM],
        ),
        ({"tier": 3, "planned_end_date": None}, [rules.OPEN_ENDED]),
        (
            {
                "tier": 3,
                "planned_end_date": None,
                "open_ended_justification": "Awaiting an EHCP special school place",
            },
            [],
        ),
        (
            {
                "status": "ENDED",
                "planned_end_date": ON - dt.timedelta(days=9),
                "end_date": ON - dt.timedelta(days=9),
            },
            [],
        ),
        ({"status": "PLANNED", "planned_end_date": None}, []),
    ],
)
def test_drift_is_past_the_planned_end_or_maximum_or_open_ended_without_justification(
    provider, changes, reasons
):
    placement = _plan(provider, **{"start_date": dt.date(2026, 9, 7), "tier": 2, **changes})
    assert rules.drift_reasons(placement, ON) == reasons
    assert bool(_matching(rules.drift_q(ON), placement)) is bool(reasons)


# --- placement moves ------------------------------------------------------------------------------

AUTUMN = (dt.date(2026, 9, 1), dt.date(2026, 12, 31))


@pytest.mark.parametrize(
    ("earlier", "later_start", "moved"),
    [
        ({"status": "ENDED", "end_date": dt.date(2026, 10, 16)}, dt.date(2026, 10, 19), True),
        (
            {"status": "ENDED", "end_date": dt.date(2026, 10, 19)},
            dt.date(2026, 10, 19),
            True,
        ),  # same-day handover
        (
            {"status": "ENDED", "end_date": dt.date(2026, 10, 23)},
            dt.date(2026, 10, 19),
            False,
        ),  # ran side by side
        ({}, dt.date(2026, 10, 19), False),  # concurrent provision: still running
        ({"status": "CANCELLED", "end_date": dt.date(2026, 9, 8)}, dt.date(2026, 10, 19), False),
        (
            {"status": "ENDED", "end_date": dt.date(2026, 8, 1)},
            dt.date(2027, 1, 4),
            False,
        ),  # the move is after the period
    ],
)
def test_a_move_is_a_new_placement_after_an_earlier_one_ended(
    provider, earlier, later_start, moved
):
    child = ChildFactory(home_la=la("838"))
    _plan(provider, child=child, **{"start_date": dt.date(2026, 6, 1), **earlier})
    later = _plan(provider, child=child, start_date=later_start)
    assert bool(_matching(rules.moved_q(*AUTUMN), later)) is moved


# --- part-time ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hours", "part_time"),
    [
        (Decimal("24.9"), True),
        (Decimal(25), False),
        (Decimal(30), False),
    ],
)
def test_a_week_below_full_time_hours_is_part_time(hours, part_time):
    assert rules.is_part_time(hours, "KS3") is part_time


def test_full_time_hours_follow_the_las_setting_per_key_stage(settings):
    settings.APTRACK_FULL_TIME_HOURS = {"KS1": 21}
    assert rules.is_part_time(Decimal(22), "KS1") is False
    assert rules.is_part_time(Decimal(22), "KS4") is True


def test_part_time_placements_are_those_with_a_part_time_timetable_recorded(provider):
    part_time = _plan(
        provider, hours_per_week=Decimal(12), part_time_reason="Medical: building up hours"
    )
    full_time = _plan(provider)
    assert _matching(rules.part_time_q(), part_time, full_time) == {part_time}
