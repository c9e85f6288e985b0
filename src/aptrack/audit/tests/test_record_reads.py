"""Lists, searches and exports record every child they showed, in one statement."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aptrack.audit import services
from aptrack.audit.models import AuditAction, AuditEvent, AuditTrailIsAppendOnly, Channel
from aptrack.children.models import Child

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


def test_a_list_records_each_child_shown_with_who_where_and_the_search(world):
    shown = [world.child_a, world.child_a2]
    count = services.record_reads(
        actor=world.officer_a,
        at=NOW,
        channel=Channel.WEB,
        children=shown,
        where="/children/",
        search_term="Smith",
    )
    assert count == 2
    events = AuditEvent.objects.order_by("child_id")
    assert [event.child_id for event in events] == sorted([world.child_a.pk, world.child_a2.pk])
    event = events.get(child_id=world.child_a.pk)
    assert event.action == AuditAction.VIEWED
    assert event.actor == world.officer_a
    assert event.actor_label.startswith("officer_a")
    assert event.at == NOW
    assert event.channel == Channel.WEB
    assert event.object_type == "children.Child"
    assert event.object_id == str(world.child_a.pk)
    assert event.object_label == world.child_a.full_name
    assert event.where == "/children/"
    assert event.search_term == "Smith"
    assert event.changes == {}


def test_a_queryset_is_recorded_in_one_insert_without_loading_it(world):
    page = Child.objects.order_by("pk")[1:3]
    with CaptureQueriesContext(connection) as queries:
        services.record_reads(
            actor=world.officer_a,
            at=NOW,
            channel=Channel.API,
            children=page,
            where="/api/v1/children",
        )
    assert len(queries) == 1
    assert queries[0]["sql"].startswith("INSERT INTO")
    assert set(AuditEvent.objects.values_list("child_id", flat=True)) == set(
        page.values_list("pk", flat=True)
    )
    assert AuditEvent.objects.get(child_id=page[0].pk).search_term is None


def test_a_child_shown_twice_is_recorded_once_and_nothing_shown_writes_nothing(world):
    with CaptureQueriesContext(connection) as queries:
        assert (
            services.record_reads(
                actor=world.officer_a, at=NOW, channel=Channel.WEB, children=[], where="/x/"
            )
            == 0
        )
    assert len(queries) == 0
    services.record_reads(
        actor=world.officer_a,
        at=NOW,
        channel=Channel.WEB,
        children=[world.child_a, world.child_a.pk],
        where="/x/",
    )
    assert AuditEvent.objects.count() == 1


def test_recorded_reads_cannot_be_changed_either(world):
    services.record_reads(
        actor=world.officer_a, at=NOW, channel=Channel.WEB, children=[world.child_a], where="/x/"
    )
    event = AuditEvent.objects.get()
    event.search_term = "tampered"
    with pytest.raises(AuditTrailIsAppendOnly):
        event.save()


def test_a_child_with_the_longest_names_is_recorded_with_the_label_cut_to_fit(world):
    Child.objects.filter(pk=world.child_a.pk).update(
        legal_first_name="A" * 100, legal_last_name="B" * 100
    )
    services.record_reads(
        actor=world.officer_a, at=NOW, channel=Channel.WEB, children=[world.child_a], where="/x/"
    )
    assert AuditEvent.objects.get().object_label == "A" * 100 + " " + "B" * 99
