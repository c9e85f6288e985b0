"""The Fair Access 20 school days: a referral the Fair Access Panel approved shows its deadline to
place, the caseworker's home lists those due within 5 school days or missed, and the deadline is
met by a placement that starts on or before it."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from aptrack.children.tests.factories import PlacementFactory
from aptrack.panels.models import DecisionOutcome, PanelKind
from aptrack.panels.tests.factories import approve_at_fair_access_panel
from aptrack.placements.states import PlacementStatus
from aptrack.referrals import selectors
from aptrack.referrals.models import Route
from aptrack.referrals.states import ReferralStatus
from aptrack.referrals.tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db

D = dt.date
DECIDED = D(2026, 11, 23)  # a Monday; 20 school days later, over Christmas, is 4 January 2027
DUE = D(2027, 1, 4)


def _approved(world, *, kind=PanelKind.FAIR_ACCESS, on=DECIDED, outcome=DecisionOutcome.APPROVED):
    referral = ReferralFactory(
        child=world.child_a2,
        route=Route.FAIR_ACCESS,
        referrer=world.officer_a,
        status=ReferralStatus.APPROVED,
    )
    approve_at_fair_access_panel(
        referral, on=on, decided_by=world.officer_a, kind=kind, outcome=outcome
    )
    return referral


def _rows(world, on):
    return selectors.list_fair_access_deadlines(la_id=world.child_a2.home_la_id, on=on)


def test_the_deadline_is_twenty_school_days_from_the_panels_decision(world):
    referral = _approved(world)
    [row] = _rows(world, D(2026, 11, 25))
    assert (row.referral, row.decided_on, row.due_date, row.placed_on) == (
        referral,
        DECIDED,
        DUE,
        None,
    )
    assert not row.is_missed(DUE)
    assert row.is_missed(DUE + dt.timedelta(days=1))


def test_a_placement_starting_on_the_deadline_meets_it_and_the_day_after_misses_it(world):
    referral = _approved(world)
    placement = PlacementFactory(
        child=world.child_a2,
        referral=referral,
        start_date=DUE,
        provider=world.provider_x.organisation,
    )
    [row] = _rows(world, D(2027, 1, 10))
    assert row.met is True and not row.is_missed(D(2027, 1, 10))
    placement.start_date = DUE + dt.timedelta(days=1)
    placement.save()
    [row] = _rows(world, D(2027, 1, 10))
    assert row.met is False and row.is_missed(D(2027, 1, 10))


def test_a_planned_placement_that_has_not_started_is_not_provision(world):
    referral = _approved(world)
    PlacementFactory(
        child=world.child_a2,
        referral=referral,
        start_date=DUE,
        provider=world.provider_x.organisation,
        status=PlacementStatus.PLANNED,
    )
    [row] = _rows(world, D(2027, 1, 10))
    assert row.placed_on is None and row.is_missed(D(2027, 1, 10))


def test_only_approvals_by_a_fair_access_panel_count(world):
    _approved(world, kind="AP")
    _approved(world, outcome=DecisionOutcome.DEFERRED)
    assert _rows(world, D(2026, 12, 1)) == []


def test_caseworker_home_lists_due_within_five_school_days_and_missed(world):
    _approved(world)
    due = selectors.list_fair_access_due
    la_id = world.child_a2.home_la_id
    # From Monday 14 December, 4 January 2027 is the fifth school day ahead (Christmas between);
    # from Friday 11 December, the sixth.
    assert due(la_id=la_id, on=D(2026, 12, 11)) == []
    assert len(due(la_id=la_id, on=D(2026, 12, 14))) == 1
    assert len(due(la_id=la_id, on=D(2027, 1, 20))) == 1  # missed, still not placed


def test_the_referral_page_and_caseworker_home_show_the_deadline(client, world):
    referral = _approved(world)
    with time_machine.travel(dt.datetime(2027, 1, 5, 12, 0, tzinfo=dt.UTC), tick=False):
        client.force_login(world.officer_a)
        page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
        home = client.get(reverse("placements:home"))
    assert "Fair Access: place by" in page and "4 January 2027" in page and "Missed" in page
    assert [row.referral for row in home.context_data["home"].fair_access] == [referral]
    assert "Fair Access: 20 school days to place" in home.content.decode()
