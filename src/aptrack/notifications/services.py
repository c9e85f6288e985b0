"""Every write to notifications: queuing messages for an alert, sending one (with retries),
the daily digest, and a person's choices. The clock (`at`) is passed in.

A message goes out at once (queued, sent by the task worker) or waits for the recipient's daily
digest, as they chose for urgent alerts (whereabouts unknown, escalations; at once by default)
and routine ones (a summary by default). A failed send is tried again after 1, 5, 25 and 125
minutes (`backoff`), each attempt counted with its error, then marked failed.
"""

import datetime as dt
import logging
from collections import defaultdict

from django.conf import settings
from django.db import transaction

from aptrack.accounts.models import User
from aptrack.notifications import sources, transport
from aptrack.notifications.models import Channel, Frequency, Notification, Preference, Status

logger = logging.getLogger(__name__)

DIGEST_TEMPLATE = "daily_digest"
DIGEST_SUBJECT = "Your aptrack summary for {day}"


def preference_for(user: User) -> Preference:
    found = Preference.objects.filter(user=user).first()
    return found or Preference(user=user)


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the `attempts`th failed attempt: 1, 5, 25, 125 minutes."""
    return dt.timedelta(minutes=5 ** max(attempts - 1, 0))


def _enqueue(notification: Notification) -> None:
    from aptrack.notifications import tasks  # noqa: PLC0415 - the task imports this module

    def enqueue() -> None:
        tasks.enqueue_send(notification)

    transaction.on_commit(enqueue)


def queue_message(*, user: User, message: sources.Message, at: dt.datetime) -> list[Notification]:
    """The notifications one message makes for `user`: an email (held for the digest if they
    chose so), and a text message for an urgent one sent at once when they asked for texts."""
    preference = preference_for(user)
    frequency = preference.urgent if message.urgent else preference.routine
    immediate = frequency == Frequency.IMMEDIATE
    made = []
    if user.email:
        made.append(
            Notification.objects.create(
                recipient=user,
                channel=Channel.EMAIL,
                template=message.template,
                urgent=message.urgent,
                subject=message.subject,
                body=message.body,
                link=message.link,
                status=Status.QUEUED if immediate else Status.HELD,
                created_at=at,
                next_attempt_at=at if immediate else None,
            )
        )
    if immediate and message.urgent and preference.sms and preference.mobile_number:
        made.append(
            Notification.objects.create(
                recipient=user,
                channel=Channel.SMS,
                template=message.template,
                urgent=True,
                subject=message.subject,
                body=message.sms,
                link=message.link,
                status=Status.QUEUED,
                created_at=at,
                next_attempt_at=at,
            )
        )
    for notification in made:
        if notification.status == Status.QUEUED:
            _enqueue(notification)
    return made


def notify_alert(*, alert: object, escalated: bool, at: dt.datetime) -> list[Notification]:
    """Tell everyone who may open `alert` that it was raised (or escalated to them)."""
    source = sources.source_for(alert)
    if source is None:
        logger.warning("No notification source for %s", type(alert).__name__)
        return []
    message = source.message(alert, escalated)
    made: list[Notification] = []
    with transaction.atomic():
        for user in source.recipients(alert, escalated):
            made += queue_message(user=user, message=message, at=at)
    return made


def send_notification(*, notification_id: int, at: dt.datetime) -> Notification:
    """One attempt at sending: sent, or retrying after `backoff`, or failed after the last
    attempt. A notification already sent (or digested) is left alone."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .get(pk=notification_id)
        )
        if notification.status not in (Status.QUEUED, Status.RETRYING):
            return notification
        notification.attempts += 1
        try:
            if notification.channel == Channel.SMS:
                sent = transport.send_sms(
                    to=preference_for(notification.recipient).mobile_number,
                    body=notification.body,
                    reference=f"aptrack-{notification.pk}",
                )
            else:
                sent = transport.send_email(
                    to=notification.recipient.email,
                    subject=notification.subject,
                    body=notification.body,
                    reference=f"aptrack-{notification.pk}",
                )
        except transport.SendFailed as failed:
            notification.error = str(failed)
            if notification.attempts >= settings.APTRACK_NOTIFICATION_MAX_ATTEMPTS:
                notification.status = Status.FAILED
                notification.next_attempt_at = None
            else:
                notification.status = Status.RETRYING
                notification.next_attempt_at = at + backoff(notification.attempts)
        else:
            notification.status = Status.SENT
            notification.sent_at = at
            notification.reference = sent.reference
            notification.error = ""
            notification.next_attempt_at = None
        notification.save()
    return notification


def send_due(*, at: dt.datetime) -> int:
    """Send every queued notification, and retry every one whose wait is over (for a task
    backend that cannot defer, and after a worker was stopped). Returns how many were tried."""
    due = Notification.objects.filter(
        status__in=(Status.QUEUED, Status.RETRYING), next_attempt_at__lte=at
    ).values_list("pk", flat=True)
    tried = 0
    for notification_id in list(due):
        send_notification(notification_id=notification_id, at=at)
        tried += 1
    return tried


def send_digests(*, at: dt.datetime, extra: dict[int, list[str]] | None = None) -> int:
    """One email a person: their held notifications and `extra` lines (the day's deadlines,
    by user id), each held notification marked as sent in it. Returns how many digests."""
    from aptrack.accounts.models import User  # noqa: PLC0415

    held: dict[int, list[Notification]] = defaultdict(list)
    for notification in Notification.objects.filter(
        status=Status.HELD, channel=Channel.EMAIL
    ).order_by("created_at", "pk"):
        held[notification.recipient_id].append(notification)
    extra = extra or {}
    day = f"{at:%-d %B %Y}"
    made = 0
    for user in User.objects.filter(pk__in=set(held) | set(extra), is_active=True).order_by("pk"):
        if not user.email:
            continue
        lines = [f"- {item.subject}: {item.link}" for item in held.get(user.pk, [])]
        lines += [f"- {line}" for line in extra.get(user.pk, [])]
        if not lines:
            continue
        with transaction.atomic():
            digest = Notification.objects.create(
                recipient=user,
                channel=Channel.EMAIL,
                template=DIGEST_TEMPLATE,
                subject=DIGEST_SUBJECT.format(day=day),
                body="\n".join(
                    ["Since your last summary:", *lines, "", f"Sign in: {sources.site_link('/')}"]
                ),
                status=Status.QUEUED,
                created_at=at,
                next_attempt_at=at,
            )
            Notification.objects.filter(pk__in=[n.pk for n in held.get(user.pk, [])]).update(
                status=Status.DIGESTED, digest=digest
            )
            _enqueue(digest)
        made += 1
    return made


def update_preference(
    *, user: User, urgent: str, routine: str, sms: bool, mobile_number: str
) -> Preference:
    preference = preference_for(user)
    preference.urgent = urgent
    preference.routine = routine
    preference.sms = sms
    preference.mobile_number = mobile_number.strip()
    if preference.pk:
        preference.version += 1
    preference.save()
    return preference
