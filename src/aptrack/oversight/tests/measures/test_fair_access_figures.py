"""The dashboard counts Fair Access children placed within 20 school days and those not, and the
list behind each figure names them (the referrals app's rule decides)."""

import datetime as dt
from urllib.parse import parse_qs

import pytest

from aptrack.children.tests.factories import ChildFactory, PlacementFactory
from aptrack.oversight.measures.build import build_dashboard, children_for
from aptrack.oversight.measures.periods import Period
from aptrack.panels.tests.factories import approve_at_fair_access_panel
from aptrack.referrals.models import Route
from aptrack.referrals.states import ReferralStatus
from aptrack.referrals.tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)
AUTUMN = Period.term(2026, 0)
# Decided Monday 5 October: 14 school days to the half term, then 6 more: due Monday 9 November.
DECIDED = dt.date(2026, 10, 5)
DUE = dt.date(2026, 11, 9)


def _fair_access(world, decided=DECIDED):
    child = ChildFactory(home_la=world.child_a.home_la)
    referral = ReferralFactory(
        child=child,
        route=Route.FAIR_ACCESS,
        referrer=world.officer_a,
        status=ReferralStatus.APPROVED,
    )
    approve_at_fair_access_panel(referral, on=decided, decided_by=world.officer_a)
    return referral


def _children(board, key):
    params = parse_qs(board.figure(key).drilldown)
    return set(
        children_for(
            la=board.la,
            period=board.period,
            today=TODAY,
            measure=params["measure"][0],
            value=None,
            cohort="period",
        )
    )


def test_fair_access_met_on_the_twentieth_day_missed_after_it_and_later_deadlines_not_yet_counted(
    world,
):
    on_time = _fair_access(world)
    PlacementFactory(
        child=on_time.child,
        referral=on_time,
        start_date=DUE,
        provider=world.provider_x.organisation,
    )
    late = _fair_access(world)
    PlacementFactory(
        child=late.child,
        referral=late,
        start_date=DUE + dt.timedelta(days=1),
        provider=world.provider_x.organisation,
    )
    never = _fair_access(world)
    _fair_access(world, decided=dt.date(2026, 11, 16))  # due 14 December: after today
    board = build_dashboard(la=world.child_a.home_la, period=AUTUMN, today=TODAY)
    assert board.figure("fair_access_due").value == 3
    assert board.figure("fair_access_met").value == 1
    assert board.figure("fair_access_missed").value == 2
    assert _children(board, "fair_access_met") == {on_time.child}
    assert _children(board, "fair_access_missed") == {late.child, never.child}
