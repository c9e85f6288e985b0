"""Sending one message: GOV.UK Notify through its official client when NOTIFY_API_KEY is set,
else email through Django's mail backend. Text messages go only through Notify."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail

if TYPE_CHECKING:
    from notifications_python_client.notifications import NotificationsAPIClient

NO_SMS_WITHOUT_NOTIFY = "Text messages need GOV.UK Notify: set NOTIFY_API_KEY"
NO_TEMPLATE = "Set the GOV.UK Notify {channel} template id (NOTIFY_{upper}_TEMPLATE_ID)"


class SendFailed(Exception):
    pass


@dataclass(frozen=True)
class Sent:
    reference: str = ""


def notify_client() -> "NotificationsAPIClient":
    from notifications_python_client.notifications import NotificationsAPIClient  # noqa: PLC0415

    return NotificationsAPIClient(settings.NOTIFY_API_KEY, base_url=settings.NOTIFY_BASE_URL)


def _template(channel: str) -> str:
    template_id = settings.NOTIFY_TEMPLATES.get(channel) or ""
    if not template_id:
        raise SendFailed(NO_TEMPLATE.format(channel=channel, upper=channel.upper()))
    return template_id


def send_email(*, to: str, subject: str, body: str, reference: str) -> Sent:
    if settings.NOTIFY_API_KEY:
        from notifications_python_client.errors import APIError  # noqa: PLC0415

        try:
            response = notify_client().send_email_notification(
                email_address=to,
                template_id=_template("email"),
                personalisation={"subject": subject, "body": body},
                reference=reference,
            )
        except (APIError, OSError) as error:
            raise SendFailed(str(error)[:500]) from error
        return Sent(reference=str(response.get("id", "")))
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=False)
    except OSError as error:
        raise SendFailed(str(error)[:500]) from error
    return Sent()


def send_sms(*, to: str, body: str, reference: str) -> Sent:
    if not settings.NOTIFY_API_KEY:
        raise SendFailed(NO_SMS_WITHOUT_NOTIFY)
    from notifications_python_client.errors import APIError  # noqa: PLC0415

    try:
        response = notify_client().send_sms_notification(
            phone_number=to,
            template_id=_template("sms"),
            personalisation={"body": body},
            reference=reference,
        )
    except (APIError, OSError) as error:
        raise SendFailed(str(error)[:500]) from error
    return Sent(reference=str(response.get("id", "")))
