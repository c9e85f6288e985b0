"""Reads of provider reports and incidents, each through the scope in `permissions`. The section
functions feed the parts this app adds to other apps' pages (registered in `apps.py`)."""

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from aptrack.accounts.models import User
from aptrack.alerts.models import Alert
from aptrack.children.models import Child
from aptrack.placements.models import Placement
from aptrack.placements.permissions import scope_placements
from aptrack.reports import permissions, rules
from aptrack.reports.models import Incident, ProviderReport


def list_reports(*, user: User) -> QuerySet[ProviderReport]:
    return (
        permissions.scope_reports(user)
        .select_related("placement__child", "placement__provider")
        .order_by("-period_start", "placement_id", "-version")
    )


def get_report(*, user: User, report_id: int) -> ProviderReport | None:
    return (
        list_reports(user=user).prefetch_related("progress__outcome").filter(pk=report_id).first()
    )


def latest_report(*, user: User, placement: Placement) -> ProviderReport | None:
    return (
        permissions.scope_reports(user)
        .filter(placement=placement)
        .prefetch_related("progress__outcome")
        .order_by("-period_start", "-version")
        .first()
    )


def get_placement(*, user: User, placement_id: int) -> Placement | None:
    return (
        scope_placements(user).select_related("child", "provider").filter(pk=placement_id).first()
    )


def list_placement_reports(*, placement: Placement, on: dt.date) -> list[rules.ReportDue]:
    """Every half term the placement owes a report for, newest first, with the latest version."""
    return sorted(
        rules.list_reports_due(placements=[placement], on=on),
        key=lambda d: d.half_term.start_date,
        reverse=True,
    )


def list_incidents(*, user: User) -> QuerySet[Incident]:
    return (
        permissions.scope_incidents(user)
        .select_related("child", "placement__provider", "recorded_by_organisation")
        .order_by("-occurred_at", "-pk")
    )


def get_incident(*, user: User, incident_id: int) -> Incident | None:
    return list_incidents(user=user).filter(pk=incident_id).first()


# --- sections on other apps' pages ------------------------------------------------------------


def latest_report_section(user: User, placement: Placement) -> dict[str, Any] | None:
    """The latest report, with the child's and family's words, on the placement's review form."""
    report = latest_report(user=user, placement=placement)
    return {"report": report} if report is not None else None


def placement_section(user: User, placement: Placement) -> dict[str, Any] | None:
    """Links from the placement's page to its reports and to recording an incident."""
    if not permissions.can_read_reports(user, placement):
        return None
    return {
        "placement": placement,
        "can_record_incident": permissions.can_record_incident(user, placement),
    }


def alert_section(user: User, alert: Alert) -> dict[str, Any] | None:
    """The safeguarding concern behind an alert, for those who may read its details."""
    incident = list_incidents(user=user).filter(alert=alert).first()
    return {"incident": incident} if incident is not None else None


def home_panel(user: User) -> dict[str, Any] | None:
    """The LA's count of overdue provider reports, on the home page."""
    la_id = permissions.overdue_reports_la_id(user)
    if la_id is None:
        return None
    overdue = rules.list_overdue_reports(la_id=la_id, on=timezone.localdate())
    return {"overdue": len(overdue)}


def timeline_section(user: User, child: Child) -> dict[str, Any] | None:
    reports = list(list_reports(user=user).filter(placement__child=child)[:6])
    incidents = list(list_incidents(user=user).filter(child=child)[:1])
    if not reports and not incidents:
        return None
    return {"reports": reports, "child": child, "has_incidents": bool(incidents)}


def child_section(user: User, child: Child) -> dict[str, Any] | None:
    """Links from the child's record to their reports and their incident chronology."""
    may_read_incidents = permissions.can_read_incidents(user)
    placements = list(permissions.report_placements(user, child=child).select_related("provider"))
    recordable = [p for p in placements if permissions.can_record_incident(user, p)]
    if not placements and not may_read_incidents:
        return None
    return {
        "child": child,
        "report_placements": placements,
        "recordable": recordable,
        "may_read_incidents": may_read_incidents,
        "may_write": [p for p in placements if permissions.can_write_report(user, p)],
    }
