"""The inbox and one alert: who sees what, acknowledge and resolve with the GOV.UK error
summary, and the audit trail."""

import datetime as dt

import pytest
from django.urls import reverse

from aptrack.alerts.models import Alert, AlertEvent
from aptrack.alerts.services import NOTE_REQUIRED
from aptrack.alerts.states import AlertStatus
from aptrack.alerts.tests.conftest import MONDAY, check
from aptrack.audit.models import AuditAction, AuditEvent
from aptrack.children.models import Child
from aptrack.organisations.tests.factories import la

pytestmark = pytest.mark.django_db


@pytest.fixture
def alert_a(world, checked):
    return Alert.objects.get(child=world.child_a)


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_the_officer_sees_the_missing_child_flagged_the_same_morning(client, world, checked):
    response = _get(client, world.officer_a, reverse("alerts:list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert world.child_a.upn in body
    assert "Whereabouts unknown" in body and "No mark by 10am" in body
    assert world.child_b.upn not in body
    assert "1 alert" in body


def test_an_officer_of_another_la_and_provider_staff_cannot_see_or_act(client, world, alert_a):
    detail = reverse("alerts:detail", args=[alert_a.pk])
    resolve = reverse("alerts:resolve", args=[alert_a.pk])
    acknowledge = reverse("alerts:acknowledge", args=[alert_a.pk])
    for user in (world.officer_b, world.provider_x, world.school_y, world.social_worker):
        client.force_login(user)
        assert client.get(detail).status_code == 404, user.username
        assert client.post(resolve, {"resolution_note": "x"}).status_code == 404
        assert client.post(acknowledge, {}).status_code == 404
    alert_a.refresh_from_db()
    assert alert_a.status == AlertStatus.OPEN
    body = _get(client, world.officer_b, reverse("alerts:list")).content.decode()
    assert world.child_a.upn not in body


@pytest.mark.parametrize("persona", ["provider_x", "school_y", "qa_lead_a", "analyst"])
def test_roles_without_alerts_are_refused_the_inbox(client, world, persona):
    assert _get(client, getattr(world, persona), reverse("alerts:list")).status_code == 403


def test_the_inbox_needs_a_sign_in(client, world):
    response = client.get(reverse("alerts:list"))
    assert response.status_code == 302


def test_the_social_worker_and_vsh_see_escalated_alerts_only(client, world):
    Child.objects.filter(pk=world.child_a.pk).update(looked_after=True, responsible_la=la("838"))
    check(MONDAY, "10:00")
    for user in (world.social_worker, world.virtual_school_head_a):
        body = _get(client, user, reverse("alerts:list")).content.decode()
        assert world.child_a.upn not in body
    check(MONDAY, "11:00")
    alert = Alert.objects.get(child=world.child_a)
    for user in (world.social_worker, world.virtual_school_head_a):
        body = _get(client, user, reverse("alerts:list")).content.decode()
        assert world.child_a.upn in body
        assert client.get(reverse("alerts:detail", args=[alert.pk])).status_code == 200


def test_viewing_an_alert_is_a_view_of_the_child(client, world, alert_a):
    response = _get(client, world.officer_a, reverse("alerts:detail", args=[alert_a.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "No mark by 10am" in body
    assert f'<a class="govuk-link" href="/children/{world.child_a.pk}/">' in body
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEWED, child_id=world.child_a.pk, actor=world.officer_a
    ).exists()


def test_acknowledge_then_resolve_with_a_note(client, world, alert_a):
    client.force_login(world.officer_a)
    response = client.post(
        reverse("alerts:acknowledge", args=[alert_a.pk]),
        {"acknowledgement_note": "Calling the provider"},
    )
    assert response.status_code == 302
    alert_a.refresh_from_db()
    assert alert_a.status == AlertStatus.ACKNOWLEDGED
    assert alert_a.acknowledged_by == world.officer_a

    response = client.post(
        reverse("alerts:resolve", args=[alert_a.pk]),
        {"resolution_note": "At the dentist with mum; back for the afternoon"},
    )
    assert response.status_code == 302
    alert_a.refresh_from_db()
    assert alert_a.status == AlertStatus.RESOLVED
    assert alert_a.resolved_by == world.officer_a
    assert alert_a.resolution_note == "At the dentist with mum; back for the afternoon"
    assert list(alert_a.events.order_by("pk").values_list("kind", flat=True)) == [
        "RAISED",
        "ACKNOWLEDGED",
        "RESOLVED",
    ]
    updates = AuditEvent.objects.filter(
        object_type="alerts.Alert", object_id=str(alert_a.pk), action=AuditAction.UPDATED
    )
    assert [e.changes["status"]["new"] for e in updates.order_by("pk")] == [
        "ACKNOWLEDGED",
        "RESOLVED",
    ]
    assert all(e.actor == world.officer_a and e.child_id == world.child_a.pk for e in updates)
    body = client.get(reverse("alerts:detail", args=[alert_a.pk])).content.decode()
    assert "Resolve alert" not in body and "Acknowledge alert" not in body


def test_resolving_without_a_note_shows_the_error_summary(client, world, alert_a):
    client.force_login(world.officer_a)
    response = client.post(reverse("alerts:resolve", args=[alert_a.pk]), {"resolution_note": "  "})
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body and "<title>Error: " in body
    assert NOTE_REQUIRED in body
    assert 'href="#id_resolution_note"' in body
    alert_a.refresh_from_db()
    assert alert_a.status == AlertStatus.OPEN
    assert not AlertEvent.objects.filter(alert=alert_a, kind="RESOLVED").exists()


def test_resolving_twice_is_refused_with_a_message(client, world, alert_a):
    client.force_login(world.manager_a)
    url = reverse("alerts:resolve", args=[alert_a.pk])
    client.post(url, {"resolution_note": "Found at home, unwell"})
    response = client.post(url, {"resolution_note": "Again"})
    assert "This alert has already been resolved" in response.content.decode()
    alert_a.refresh_from_db()
    assert alert_a.resolution_note == "Found at home, unwell"


def test_actions_are_post_only(client, world, alert_a):
    client.force_login(world.officer_a)
    assert client.get(reverse("alerts:resolve", args=[alert_a.pk])).status_code == 405


def test_the_inbox_filters_by_status_and_kind_newest_first(client, world):
    check(MONDAY, "10:00")
    check(MONDAY, "14:00")
    client.force_login(world.officer_a)
    am, pm = Alert.objects.filter(child=world.child_a).order_by("session")
    client.post(reverse("alerts:resolve", args=[am.pk]), {"resolution_note": "Found"})
    listing = client.get(reverse("alerts:list"))
    assert list(listing.context_data["page"].object_list) == [pm]
    everything = client.get(reverse("alerts:list"), {"status": ""})
    assert list(everything.context_data["page"].object_list) == [pm, am]
    resolved = client.get(reverse("alerts:list"), {"status": "RESOLVED"})
    assert list(resolved.context_data["page"].object_list) == [am]
    other_kind = client.get(reverse("alerts:list"), {"status": "", "kind": "SEVERE_ABSENCE"})
    assert list(other_kind.context_data["page"].object_list) == []


def test_the_inbox_puts_missing_vulnerable_children_first_and_acknowledges_in_bulk(client, world):
    from aptrack.alerts.states import AlertKind
    from aptrack.children.tests.factories import ChildFactory, PlacementFactory
    from aptrack.placements.tests.factories import START

    dorset = la("838")
    looked_after = ChildFactory(looked_after=True, responsible_la=dorset)
    protected = ChildFactory(social_care_status="CP")
    for child in (looked_after, protected):
        PlacementFactory(
            child=child, provider=world.provider_x.organisation, status="ACTIVE", start_date=START
        )
    check(MONDAY, "10:00")
    placement = world.child_a.placements.get()
    Alert.objects.create(  # raised last: newest, yet least urgent
        kind=AlertKind.PERSISTENT_ABSENCE,
        child=world.child_a,
        placement=placement,
        local_authority=dorset,
        session_date=MONDAY,
        session="PM",
        period_start_date=dt.date(2026, 9, 1),
        reason="12% absent",
        raised_at=dt.datetime(2026, 11, 23, 15, tzinfo=dt.UTC),
    )
    client.force_login(world.officer_a)
    listed = list(client.get(reverse("alerts:list")).context_data["page"].object_list)
    assert [alert.urgency for alert in listed] == [0, 0, 1, 4]
    assert {alert.child for alert in listed[:2]} == {looked_after, protected}
    assert listed[2].child == world.child_a and listed[3].kind == AlertKind.PERSISTENT_ABSENCE

    other_la = Alert.objects.get(child=world.child_b)
    response = client.post(
        reverse("alerts:bulk_acknowledge"),
        {"alert": [listed[0].pk, listed[1].pk, other_la.pk], "next": "?status=OPEN"},
    )
    assert response.status_code == 302 and response.url == reverse("alerts:list") + "?status=OPEN"
    statuses = dict(Alert.objects.values_list("pk", "status"))
    assert (statuses[listed[0].pk], statuses[listed[1].pk]) == ("ACKNOWLEDGED", "ACKNOWLEDGED")
    assert statuses[listed[2].pk] == statuses[other_la.pk] == "OPEN"
    assert AlertEvent.objects.filter(kind="ACKNOWLEDGED", by=world.officer_a).count() == 2
    none = client.post(reverse("alerts:bulk_acknowledge"), {"alert": [other_la.pk]}, follow=True)
    assert "Select at least one open alert to acknowledge" in none.content.decode()
