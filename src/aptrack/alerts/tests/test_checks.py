"""The same-day checks: who raises a whereabouts alert at the cut-off, and that a second run
raises nothing new."""

import pytest

from aptrack.alerts import selectors, services
from aptrack.alerts.models import Alert, AlertEvent
from aptrack.alerts.states import AlertKind, AlertStatus
from aptrack.alerts.tests.conftest import MONDAY, SATURDAY, at, check, mark
from aptrack.audit.models import AuditEvent
from aptrack.calendars.models import ClosureDay
from aptrack.children.tests.factories import ChildFactory, PlacementFactory
from aptrack.organisations.tests.factories import la

pytestmark = pytest.mark.django_db

W = AlertKind.WHEREABOUTS_UNKNOWN


def test_a_child_with_no_mark_by_10am_raises_one_alert_to_their_la(world):
    report = check(MONDAY, "10:00")
    alert = Alert.objects.get(child=world.child_a)
    assert alert.kind == W
    assert alert.local_authority == la("838")
    assert (alert.session_date, alert.session) == (MONDAY, "AM")
    assert alert.reason == "No mark by 10am"
    assert alert.status == AlertStatus.OPEN
    assert alert.placement == world.child_a.placements.get()
    assert Alert.objects.get(child=world.child_b).local_authority == la("204")
    assert report.raised[W] == 2
    assert AlertEvent.objects.filter(alert=alert, kind="RAISED").count() == 1
    assert AuditEvent.objects.filter(
        object_type="alerts.Alert",
        object_id=str(alert.pk),
        action="CREATED",
        child_id=world.child_a.pk,
    ).exists()


def test_before_the_cut_off_nothing_is_due(world):
    report = check(MONDAY, "09:59")
    assert report.sessions == []
    assert not Alert.objects.exists()


@pytest.mark.parametrize("code", ["/", "P", "L", "I", "M"])
def test_a_mark_that_says_where_the_child_is_raises_none(world, code):
    mark(world, world.child_a, MONDAY, "AM", code)
    check(MONDAY, "10:00")
    assert not Alert.objects.filter(child=world.child_a).exists()


@pytest.mark.parametrize("code", ["N", "O", "U"])
def test_an_unexplained_absence_raises_whereabouts_unknown(world, code):
    mark(world, world.child_a, MONDAY, "AM", code)
    check(MONDAY, "10:00")
    alert = Alert.objects.get(child=world.child_a)
    assert alert.kind == W
    assert alert.reason.startswith(f"Code {code} (")
    assert alert.reason.endswith("at 10am")


def test_no_alerts_on_a_weekend(world):
    report = check(SATURDAY, "10:00")
    assert report.raised_total == 0
    assert not Alert.objects.exists()


def test_no_alerts_on_the_las_closure_day(world):
    ClosureDay.objects.create(local_authority=la("838"), date=MONDAY, kind="INSET")
    check(MONDAY, "10:00")
    assert not Alert.objects.filter(child=world.child_a).exists()
    # Hackney is open that day.
    assert Alert.objects.filter(child=world.child_b).exists()


def test_an_ended_or_planned_placement_raises_none(world):
    ended = PlacementFactory(
        child=ChildFactory(), provider=world.provider_x.organisation, status="ENDED"
    )
    planned = PlacementFactory(
        child=ChildFactory(), provider=world.provider_x.organisation, status="PLANNED"
    )
    check(MONDAY, "10:00")
    assert not Alert.objects.filter(placement__in=[ended, planned]).exists()


def test_running_twice_for_the_same_cut_off_raises_nothing_new(world):
    first = check(MONDAY, "10:00")
    second = check(MONDAY, "10:00")
    later = check(MONDAY, "10:30")
    assert first.raised_total == 2
    assert second.raised_total == 0 and later.raised_total == 0
    assert Alert.objects.count() == 2


def test_the_afternoon_check_raises_the_afternoon_and_keeps_the_morning(world):
    mark(world, world.child_a, MONDAY, "AM", "/")
    check(MONDAY, "10:00")
    report = check(MONDAY, "14:00")
    assert report.sessions == ["AM", "PM"]
    assert list(Alert.objects.filter(child=world.child_a).values_list("session", flat=True)) == [
        "PM"
    ]
    assert Alert.objects.filter(child=world.child_b).count() == 2


def test_a_mark_changed_to_n_after_the_morning_check_is_caught_at_the_next(world):
    mark(world, world.child_a, MONDAY, "AM", "/")
    check(MONDAY, "10:00")
    mark(world, world.child_a, MONDAY, "AM", "N")
    check(MONDAY, "14:00")
    am = Alert.objects.get(child=world.child_a, session="AM")
    assert am.reason == "Code N (No reason yet) at 10am"


def test_the_database_refuses_a_second_alert_for_the_same_session(world):
    placement = world.child_a.placements.get()
    candidate = selectors.Candidate(W, placement, MONDAY, "AM", "No mark by 10am")
    assert services._raise_alert(candidate, at=at(MONDAY, "10:00"), channel="COMMAND")
    assert services._raise_alert(candidate, at=at(MONDAY, "10:00"), channel="COMMAND") is None
    assert Alert.objects.count() == 1
