import datetime as dt

import pytest
from django.db import DatabaseError
from django.test import override_settings
from django.utils import timezone

from aptrack.ops import heartbeat, readiness
from aptrack.ops.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture
def needs_worker(settings):
    settings.APTRACK_READY_NEEDS_WORKER = True
    settings.APTRACK_WORKER_SEEN_WITHIN_SECONDS = 180
    return settings


def test_ready_when_the_database_answers_and_a_worker_beat_lately(client, needs_worker):
    heartbeat.beat(worker_id="w1", started_at=timezone.now())
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_not_ready_without_a_worker_seen_in_the_last_minutes(client, needs_worker):
    heartbeat.beat(worker_id="w1", started_at=timezone.now())
    WorkerHeartbeat.objects.update(seen_at=timezone.now() - dt.timedelta(seconds=181))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["reasons"] == ["no task worker seen in the last 180 seconds"]


def test_a_worker_that_stopped_cleanly_is_not_counted(client, needs_worker):
    heartbeat.beat(worker_id="w1", started_at=timezone.now())
    heartbeat.stop(worker_id="w1")
    assert client.get("/readyz").status_code == 503


def test_not_ready_while_migrations_are_pending(client, needs_worker, monkeypatch):
    monkeypatch.setattr(readiness, "_migrated", False)
    monkeypatch.setattr(
        readiness.MigrationExecutor, "migration_plan", lambda self, targets: ["one", "two"]
    )
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["reasons"] == ["2 migrations not applied"]


def test_every_migration_is_applied_in_a_migrated_database(monkeypatch):
    monkeypatch.setattr(readiness, "_migrated", False)
    assert readiness.pending_migrations() == 0


def test_not_ready_when_the_database_is_unavailable(client, needs_worker, monkeypatch):
    class Down:
        def __enter__(self):
            raise DatabaseError("connection refused")

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(readiness.connection, "cursor", lambda: Down())
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["reasons"] == ["database unavailable"]


def test_healthz_stays_alive_without_a_worker(client, needs_worker):
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 503


@override_settings(
    TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
)
def test_the_worker_command_beats_while_it_runs_and_clears_its_beat_when_it_stops(
    needs_worker, monkeypatch
):
    from django.core.management import call_command
    from django_tasks_db.management.commands import db_worker

    seen = []

    def run(self):
        seen.append(list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)))

    monkeypatch.setattr(db_worker.Worker, "run", run)
    monkeypatch.setattr(db_worker.Worker, "configure_signals", lambda self: None)
    call_command("db_worker", "--no-reload", "--worker-id", "beating", verbosity=0)
    assert seen == [["beating"]]
    assert not WorkerHeartbeat.objects.exists()
