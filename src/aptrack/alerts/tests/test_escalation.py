"""Escalation to the social worker and the virtual school head: only for a looked-after child
or one on a child protection plan, only once the interval has passed, and only while the
child's whereabouts are still unknown."""

import pytest

from aptrack.alerts import selectors, services
from aptrack.alerts.models import Alert, AlertEvent
from aptrack.alerts.tests.conftest import MONDAY, at, check, mark
from aptrack.audit.models import Channel
from aptrack.children.models import Child
from aptrack.organisations.tests.factories import la

pytestmark = pytest.mark.django_db


def looked_after(child):
    Child.objects.filter(pk=child.pk).update(looked_after=True, responsible_la=la("838"))


def on_cp_plan(child):
    Child.objects.filter(pk=child.pk).update(social_care_status="CP")


def test_a_looked_after_childs_alert_escalates_after_the_interval(world):
    looked_after(world.child_a)
    check(MONDAY, "10:00")
    assert check(MONDAY, "10:59").escalated == 0
    assert selectors.count_open_alerts(world.social_worker) == 0

    assert check(MONDAY, "11:00").escalated == 1
    alert = Alert.objects.get(child=world.child_a)
    assert alert.escalated_at == at(MONDAY, "11:00")
    assert alert.escalated_to_social_worker == world.social_worker
    assert alert.escalated_to_virtual_school == la("838")
    assert AlertEvent.objects.filter(alert=alert, kind="ESCALATED").count() == 1
    assert selectors.count_open_alerts(world.social_worker) == 1
    assert selectors.count_open_alerts(world.virtual_school_head_a) == 1
    assert check(MONDAY, "12:00").escalated == 0


def test_a_child_on_a_cp_plan_escalates_to_the_social_worker_only(world):
    on_cp_plan(world.child_a)
    check(MONDAY, "10:00")
    check(MONDAY, "11:00")
    alert = Alert.objects.get(child=world.child_a)
    assert alert.escalated_to_social_worker == world.social_worker
    assert alert.escalated_to_virtual_school is None
    assert selectors.count_open_alerts(world.social_worker) == 1
    assert selectors.count_open_alerts(world.virtual_school_head_a) == 0


def test_other_children_are_never_escalated(world):
    check(MONDAY, "10:00")
    assert check(MONDAY, "16:00").escalated == 0
    assert not Alert.objects.filter(escalated_at__isnull=False).exists()
    assert selectors.count_open_alerts(world.social_worker) == 0


def test_a_resolved_alert_is_not_escalated(world):
    looked_after(world.child_a)
    check(MONDAY, "10:00")
    alert = Alert.objects.get(child=world.child_a)
    services.resolve_alert(
        alert=alert,
        actor=world.officer_a,
        at=at(MONDAY, "10:20"),
        channel=Channel.WEB,
        note="Mum phoned: dentist, back at 11",
    )
    assert check(MONDAY, "11:00").escalated == 0


def test_an_alert_whose_session_is_since_marked_present_is_not_escalated(world):
    looked_after(world.child_a)
    check(MONDAY, "10:00")
    mark(world, world.child_a, MONDAY, "AM", "L")
    assert check(MONDAY, "11:00").escalated == 0


def test_the_interval_is_a_setting(world, settings):
    settings.APTRACK_ALERT_ESCALATE_AFTER_MINUTES = 30
    on_cp_plan(world.child_a)
    check(MONDAY, "10:00")
    assert check(MONDAY, "10:30").escalated == 1
