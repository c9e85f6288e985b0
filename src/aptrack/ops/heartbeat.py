"""The task worker's heartbeat: written by a thread beside `aptrack db_worker`'s loop, read by
`/readyz` (readiness.py)."""

import logging
import os
import socket
import threading

from django.db import close_old_connections, connection
from django.utils import timezone

from aptrack.ops.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

BEAT_SECONDS = 30


def beat(*, worker_id: str, started_at) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": started_at,
            "seen_at": timezone.now(),
        },
    )


def stop(*, worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def start(*, worker_id: str, every: float = BEAT_SECONDS) -> threading.Event:
    """Beat now and then every ``every`` seconds in a daemon thread until the returned event is
    set. A failed beat (database away) is logged and tried again next time."""
    started_at = timezone.now()
    stopped = threading.Event()
    beat(worker_id=worker_id, started_at=started_at)

    def loop() -> None:
        while not stopped.wait(every):
            try:
                close_old_connections()
                beat(worker_id=worker_id, started_at=started_at)
            except Exception:
                logger.exception("task worker heartbeat failed")
        connection.close()

    threading.Thread(target=loop, name="aptrack-heartbeat", daemon=True).start()
    return stopped
