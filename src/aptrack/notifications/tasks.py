"""Sending in the task worker (`aptrack db_worker`): one task per attempt. A failed attempt
enqueues the next one after its backoff when the backend can defer; otherwise (or if the
worker was down) `aptrack run-notifications` sends whatever is due."""

import datetime as dt
from typing import Any

from django.utils import timezone
from django_tasks import task

from aptrack.notifications import services
from aptrack.notifications.models import Notification, Status

DIGEST_TIME = dt.time(7, 0)  # Europe/London: before the working day


@task()
def send_notification(notification_id: int) -> dict[str, Any]:
    notification = services.send_notification(notification_id=notification_id, at=timezone.now())
    if notification.status == Status.RETRYING and notification.next_attempt_at is not None:
        backend = send_notification.get_backend()
        if backend.supports_defer:
            send_notification.using(run_after=notification.next_attempt_at).enqueue(notification.pk)
    return {"status": notification.status, "attempts": notification.attempts}


@task()
def run_digest(keep_scheduled: bool = False) -> dict[str, Any]:
    """The daily summaries now; with `keep_scheduled`, enqueue tomorrow's run."""
    from aptrack.notifications import digest  # noqa: PLC0415

    now = timezone.now()
    result: dict[str, Any] = {"digests": digest.run_daily_digest(at=now)}
    if keep_scheduled:
        next_run = schedule_digest(after=now)
        result["next_run"] = next_run.isoformat() if next_run else None
    return result


def next_digest_at(after: dt.datetime) -> dt.datetime:
    """The first DIGEST_TIME (Europe/London) after `after`."""
    local = timezone.localtime(after)
    moment = timezone.make_aware(
        dt.datetime.combine(local.date(), DIGEST_TIME), timezone.get_current_timezone()
    )
    if moment <= after:
        moment = timezone.make_aware(
            dt.datetime.combine(local.date() + dt.timedelta(days=1), DIGEST_TIME),
            timezone.get_current_timezone(),
        )
    return moment


def schedule_digest(*, after: dt.datetime) -> dt.datetime | None:
    """Enqueue the next daily run unless one is waiting (database backend; None otherwise)."""
    backend = run_digest.get_backend()
    if not backend.supports_defer:
        return None
    from django_tasks.base import TaskResultStatus  # noqa: PLC0415
    from django_tasks_db.models import DBTaskResult  # noqa: PLC0415 - only with this backend

    if DBTaskResult.objects.filter(
        task_path=run_digest.module_path, status=TaskResultStatus.READY
    ).exists():
        return None
    when = next_digest_at(after)
    run_digest.using(run_after=when).enqueue(keep_scheduled=True)
    return when


def enqueue_send(notification: Notification) -> None:
    send_notification.enqueue(notification.pk)
