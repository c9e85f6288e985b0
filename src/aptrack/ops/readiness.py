"""Whether this process is ready for traffic: the database answers, every migration is applied,
and a task worker has been seen lately. `/readyz` answers 503 with the reasons otherwise."""

import datetime as dt

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from aptrack.ops.models import WorkerHeartbeat

DATABASE_UNAVAILABLE = "database unavailable"
MIGRATIONS_PENDING = "{count} migrations not applied"
NO_WORKER = "no task worker seen in the last {seconds} seconds"

_migrated = False  # once every migration is applied, it stays so for this process's code


def pending_migrations() -> int:
    global _migrated
    if _migrated:
        return 0
    executor = MigrationExecutor(connection)
    count = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    _migrated = count == 0
    return count


def worker_seen_within() -> dt.timedelta:
    return dt.timedelta(seconds=settings.APTRACK_WORKER_SEEN_WITHIN_SECONDS)


def problems() -> list[str]:
    """What stops this process serving, as sentences; empty when ready."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return [DATABASE_UNAVAILABLE]
    found = []
    try:
        count = pending_migrations()
    except DatabaseError:
        return [DATABASE_UNAVAILABLE]
    if count:
        found.append(MIGRATIONS_PENDING.format(count=count))
        return found  # the heartbeat table may not exist yet
    if settings.APTRACK_READY_NEEDS_WORKER:
        since = timezone.now() - worker_seen_within()
        if not WorkerHeartbeat.objects.filter(seen_at__gte=since).exists():
            found.append(NO_WORKER.format(seconds=settings.APTRACK_WORKER_SEEN_WITHIN_SECONDS))
    return found
