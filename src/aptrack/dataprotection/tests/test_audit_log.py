"""The DPO's audit log: a date range, one LA's part for an LA manager, anonymised children by id only."""

import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from aptrack.audit import services as audit
from aptrack.audit.models import AuditAction, AuditEvent, Channel
from aptrack.audit.trail_export import LOG_HEADERS, WITHHELD
from aptrack.children.models import Child

pytestmark = pytest.mark.django_db

DAY = dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)


def _view(user, child, at):
    audit.record_view(
        actor=user, at=at, channel=Channel.WEB, child=child, where=f"/children/{child.pk}/"
    )


@pytest.fixture
def trail(world):
    _view(world.officer_a, world.child_a, DAY - dt.timedelta(days=1))  # before the range
    _view(world.officer_a, world.child_a, DAY)
    _view(world.officer_b, world.child_b, DAY)  # Hackney's
    audit.record_event(
        actor=world.officer_a,
        at=DAY + dt.timedelta(days=1),
        action=AuditAction.UPDATED,
        channel=Channel.WEB,
        instance=world.child_a2,
        child_id=world.child_a2.pk,
        where="/children/",
        changes={"legal_last_name": {"old": "Woodward", "new": "Smith"}},
    )
    _view(world.officer_a, world.child_a, DAY + dt.timedelta(days=2))  # after the range


def _rows(text):
    return list(csv.reader(io.StringIO(text)))


def _range(start="2026-11-02", end="2026-11-03"):
    (sy, sm, sd), (ey, em, ed) = start.split("-"), end.split("-")
    return {
        "start-day": sd,
        "start-month": sm,
        "start-year": sy,
        "end-day": ed,
        "end-month": em,
        "end-year": ey,
    }


def test_the_la_manager_downloads_their_la_s_events_in_the_range(client, world, trail):
    client.force_login(world.manager_a)
    response = client.get(reverse("dataprotection:audit_log"), _range())
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    header, *rows = _rows(response.content.decode())
    assert header == LOG_HEADERS
    assert [(row[0][:10], row[7]) for row in rows] == [
        ("2026-11-02", str(world.child_a.pk)),
        ("2026-11-03", str(world.child_a2.pk)),
    ]
    export = AuditEvent.objects.get(action=AuditAction.EXPORTED)
    assert export.actor == world.manager_a
    assert export.changes == {
        "from": "2026-11-02",
        "to": "2026-11-03",
        "la_id": world.child_a.home_la_id,
        "rows": 2,
    }


def test_an_anonymised_child_s_changes_are_withheld(client, world, trail):
    Child.objects.filter(pk=world.child_a2.pk).update(anonymised_on=dt.date(2026, 11, 20))
    client.force_login(world.manager_a)
    _, *rows = _rows(client.get(reverse("dataprotection:audit_log"), _range()).content.decode())
    assert rows[1][7:] == [str(world.child_a2.pk), WITHHELD]
    assert "Woodward" not in str(rows)


def test_only_an_la_manager_may_download_and_a_bad_range_is_named(client, world, trail):
    client.force_login(world.officer_a)
    assert client.get(reverse("dataprotection:audit_log"), _range()).status_code == 403
    client.force_login(world.manager_a)
    response = client.get(reverse("dataprotection:audit_log"), _range("2026-11-03", "2026-11-02"))
    assert response.status_code == 200
    assert "The end date must be the same as or after the start date" in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORTED).exists()


def test_the_command_writes_the_whole_trail_or_one_la_s(world, trail, tmp_path):
    path = tmp_path / "audit.csv"
    call_command(
        "export-audit-log", "--from", "2026-11-02", "--to", "2026-11-03", "--output", str(path)
    )
    assert len(_rows(path.read_text())) == 1 + 3
    call_command(
        "export-audit-log",
        "--from",
        "2026-11-02",
        "--to",
        "2026-11-03",
        "--la",
        "204",
        "--output",
        str(path),
    )
    assert [row[7] for row in _rows(path.read_text())[1:]] == [str(world.child_b.pk)]
    with pytest.raises(CommandError, match="after the end date"):
        call_command(
            "export-audit-log", "--from", "2026-11-04", "--to", "2026-11-03", "--output", str(path)
        )
    with pytest.raises(CommandError, match="must be a date"):
        call_command("export-audit-log", "--from", "2 Nov", "--to", "2026-11-03")
