"""What each kind of alert sends, and to whom. An app whose alerts should go out announces
them through `core.alerting` and is described here by an AlertSource for its model: who
receives it (asked of that app's own permissions), and the message, which names no child.
Attendance and safeguarding alerts (the alerts app) go to the LA's officers, escalated to the
social worker and virtual school head; invoice lines the LA queried (the commissioning app's
`InvoiceQueried`) go to the invoicing provider's staff.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import reverse

from aptrack.accounts.models import User
from aptrack.accounts.roles import Role
from aptrack.alerts import permissions as alert_permissions
from aptrack.alerts.models import Alert
from aptrack.alerts.states import AlertKind
from aptrack.commissioning import permissions as invoice_permissions
from aptrack.commissioning.models import Invoice
from aptrack.commissioning.states import InvoiceQueried


@dataclass(frozen=True)
class Message:
    template: str
    subject: str
    body: str
    sms: str  # a text message: no child's name, nothing that identifies them
    link: str
    urgent: bool


@dataclass(frozen=True)
class AlertSource:
    recipients: Callable[[Any, bool], list[User]]
    message: Callable[[Any, bool], Message]


def site_link(path: str) -> str:
    return f"{settings.APTRACK_SITE_URL}{path}"


# --- attendance alerts (the alerts app) ------------------------------------------------------

URGENT_ALERT_KINDS = frozenset({AlertKind.WHEREABOUTS_UNKNOWN, AlertKind.SAFEGUARDING_CONCERN})


def _alert_recipients(alert: Alert, escalated: bool) -> list[User]:
    alert.refresh_from_db()
    if escalated:
        social_worker_id = alert.escalated_to_social_worker_id
        social_worker = (
            User.objects.filter(is_active=True, pk=social_worker_id)
            if social_worker_id is not None
            else User.objects.none()
        )
        candidates = social_worker | User.objects.filter(
            is_active=True,
            role=Role.VIRTUAL_SCHOOL_HEAD,
            organisation__local_authority_id=alert.escalated_to_virtual_school_id,
        )
    else:
        candidates = User.objects.filter(
            is_active=True,
            role__in=alert_permissions.LA_ALERT_ROLES,
            organisation__local_authority_id=alert.local_authority_id,
        )
    # Only those who may open the alert in their inbox.
    return [
        user
        for user in candidates.select_related("organisation").order_by("pk")
        if alert_permissions.can_act_on_alert(user, alert)
    ]


def _alert_message(alert: Alert, escalated: bool) -> Message:
    kind = alert.get_kind_display()
    when = f"{alert.session_date:%-d %B %Y} ({alert.get_session_display()})"
    link = site_link(reverse("alerts:detail", args=[alert.pk]))
    if escalated:
        subject = f"Escalated alert: {kind}"
        body = (
            f"An alert ({kind.lower()}, {when}) about a child you support has not "
            f"been resolved in time and has been escalated to you. Sign in to aptrack to see "
            f"it: {link}"
        )
    else:
        subject = f"Alert: {kind}"
        body = (
            f"A new alert ({kind.lower()}, {when}) has been raised for your local "
            f"authority. Sign in to aptrack to see it: {link}"
        )
    return Message(
        template="alert_escalated" if escalated else "alert_raised",
        subject=subject,
        body=body,
        sms=f"aptrack: {subject}. Sign in to aptrack to see it.",
        link=link,
        urgent=escalated or alert.kind in URGENT_ALERT_KINDS,
    )


# --- invoice lines queried (the commissioning app) ------------------------------------------


def _invoice_recipients(queried: InvoiceQueried, escalated: bool) -> list[User]:
    """The invoicing provider's staff who may open the invoice."""
    provider_id = Invoice.objects.filter(pk=queried.invoice_id).values("provider_id")[:1]
    candidates = User.objects.filter(
        is_active=True, role=Role.PROVIDER_STAFF, organisation_id=provider_id
    ).select_related("organisation")
    return [
        user
        for user in candidates.order_by("pk")
        if invoice_permissions.scope_invoices(user).filter(pk=queried.invoice_id).exists()
    ]


def _invoice_message(queried: InvoiceQueried, escalated: bool) -> Message:
    invoice = Invoice.objects.get(pk=queried.invoice_id)
    lines = "1 line" if queried.lines == 1 else f"{queried.lines} lines"
    link = site_link(reverse("commissioning:invoice", args=[invoice.pk]))
    subject = f"Invoice {invoice.invoice_number} queried"
    return Message(
        template="invoice_queried",
        subject=subject,
        body=(
            f"The local authority has queried {lines} of your invoice {invoice.invoice_number} "
            f"(dated {invoice.invoice_date:%-d %B %Y}). Sign in to aptrack to see why: {link}"
        ),
        sms=f"aptrack: {subject}. Sign in to aptrack to see why.",
        link=link,
        urgent=False,
    )


SOURCES: dict[type, AlertSource] = {
    Alert: AlertSource(recipients=_alert_recipients, message=_alert_message),
    InvoiceQueried: AlertSource(recipients=_invoice_recipients, message=_invoice_message),
}


def source_for(alert: object) -> AlertSource | None:
    return SOURCES.get(type(alert))
