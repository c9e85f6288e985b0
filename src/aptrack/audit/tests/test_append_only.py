import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction

from aptrack.audit import services
from aptrack.audit.models import AuditEvent, AuditTrailIsAppendOnly, Channel

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def event(world):
    return services.record_view(
        actor=world.officer_a,
        at=NOW,
        channel=Channel.WEB,
        child=world.child_a,
        where="/children/1/",
    )


def test_view_is_recorded_with_who_when_which_child_and_where(event, world):
    assert event.actor == world.officer_a
    assert event.child_id == world.child_a.pk
    assert event.where == "/children/1/"


def test_events_cannot_be_changed_or_deleted_through_the_app(event):
    event.where = "tampered"
    with pytest.raises(AuditTrailIsAppendOnly):
        event.save()
    with pytest.raises(AuditTrailIsAppendOnly):
        event.delete()
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(where="tampered")
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.all().delete()


def test_the_database_refuses_changes_too(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET \"where\" = 'tampered' WHERE id = %s", [event.pk]
        )
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    event.refresh_from_db()
    assert event.where == "/children/1/"
