"""Sending in the task worker (`aptrack db_worker`): one task per attempt. A failed attempt
enqueues the next one after its backoff when the backend can defer; otherwise (or if the
worker was down) `aptrack run-notifications` sends whatever is due."""

from typing import Any

from django.utils import timezone
from django_tasks import task

from aptrack.notifications import services
from aptrack.notifications.models import Notification, Status


@task()
def send_notification(notification_id: int) -> dict[str, Any]:
    notification = services.send_notification(notification_id=notification_id, at=timezone.now())
    if notification.status == Status.RETRYING and notification.next_attempt_at is not None:
        backend = send_notification.get_backend()
        if backend.supports_defer:
            send_notification.using(run_after=notification.next_attempt_at).enqueue(notification.pk)
    return {"status": notification.status, "attempts": notification.attempts}


@task()
def run_digest() -> dict[str, Any]:
    from aptrack.notifications import digest  # noqa: PLC0415

    return {"digests": digest.run_daily_digest(at=timezone.now())}


def enqueue_send(notification: Notification) -> None:
    send_notification.enqueue(notification.pk)
