"""A subject-access export: everything aptrack holds about one child, as JSON or as a PDF.

The record and what Common Transfer Files brought (SEN, free school meals, attendance and
school histories), referrals and what panels decided, placements (with their plan, service
agreement, Person Passport, intended outcomes, reviews and progress, follow-ups, events and
documents), providers' reports and incidents, schools' notices, outcomes, alerts, attendance
marks with their earlier versions, census reasons and return lines, and the placement's
terms and invoice lines (`SECTIONS`: every model that holds data about a child); then the
audit trail of the child: who changed or looked at the record, when, where and after which
search. Every export is itself recorded in the audit trail (EXPORTED, with the format).
"""

import datetime as dt
import json
import operator
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import reduce
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.template.loader import render_to_string

from aptrack.audit import services as audit
from aptrack.audit.models import AuditAction, AuditEvent, Channel
from aptrack.audit.trail_export import WITHHELD
from aptrack.children.models import Child
from aptrack.core.pdf import render_pdf

FORMATS = ("json", "pdf")
UNKNOWN_FORMAT = "The format must be one of {formats}, not {value!r}"
TEMPLATE = "dataprotection/subject_access_print.html"
# What the export holds about the child: a heading, the model, and the path to the child (or the
# paths, for a model that reaches the child by more than one). Every
# model with a path to the child is here or in NOT_EXPORTED with the reason; a test walks the
# models and fails on one in neither, so a new app's data about a child cannot be left out.
SECTIONS = (
    ("SEN history from transfer files", "children.SenHistoryEntry", "child"),
    ("Free school meals from transfer files", "children.FsmPeriod", "child"),
    ("Attendance at earlier schools from transfer files", "children.AttendanceSummary", "child"),
    ("School history from transfer files", "children.SchoolHistoryEntry", "child"),
    ("Referrals", "referrals.Referral", "child"),
    ("Referral history", "referrals.ReferralEvent", "referral__child"),
    ("Panel agenda items", "panels.AgendaItem", "referral__child"),
    ("Panel decisions", "panels.Decision", "agenda_item__referral__child"),
    ("Panel actions", "panels.PanelAction", "agenda_item__referral__child"),
    ("Placements", "placements.Placement", "child"),
    ("Service agreements", "placements.ServiceAgreement", "placement__child"),
    ("Person Passports", "placements.PersonPassport", "placement__child"),
    ("Intended outcomes", "placements.IntendedOutcome", "placement__child"),
    ("Reviews", "placements.Review", "placement__child"),
    ("Progress towards outcomes", "placements.OutcomeProgress", "review__placement__child"),
    ("Follow-ups after the placement", "placements.FollowUp", "placement__child"),
    ("Placement history", "placements.PlacementEvent", "placement__child"),
    ("Documents", "documents.Document", ("placement__child", "provider_report__placement__child")),
    ("Provider reports", "reports.ProviderReport", "placement__child"),
    ("Progress in provider reports", "reports.ReportProgress", "report__placement__child"),
    ("Incidents and safeguarding concerns", "reports.Incident", "child"),
    ("Notices from schools", "notices.Notice", "child"),
    ("Attendance before AP", "outcomes.PriorAttendance", "placement__child"),
    ("Attainment", "outcomes.AttainmentRecord", "placement__child"),
    ("Qualifications", "outcomes.Qualification", "placement__child"),
    ("Wellbeing", "outcomes.WellbeingScore", "placement__child"),
    ("Attendance alerts", "alerts.Alert", "child"),
    ("Attendance alert history", "alerts.AlertEvent", "alert__child"),
    ("Attendance marks", "attendance.AttendanceMark", "placement__child"),
    (
        "Earlier versions of attendance marks",
        "attendance.AttendanceMarkVersion",
        "mark__placement__child",
    ),
    ("Census reasons for the placement", "census.RecordedReason", "placement__child"),
    ("Lines of returns from providers", "returns.ReturnLine", "child"),
    ("Placement terms and prices", "commissioning.PlacementTerms", "placement__child"),
    ("Invoice lines", "commissioning.InvoiceLine", ("child", "placement__child")),
    (
        "Invoice line history",
        "commissioning.InvoiceEvent",
        ("line__child", "line__placement__child"),
    ),
)
# Models with a path to the child that the export leaves out, and why.
NOT_EXPORTED = {
    "children.Child": "the record itself, exported as `child`",
    "attendance.PlacementWeek": "weekly sums of the attendance marks, which are exported",
    "commissioning.StagedLine": "a temporary table inside one reconciliation, never kept",
}
AUDIT_FIELDS = (
    "at",
    "actor_label",
    "action",
    "channel",
    "where",
    "search_term",
    "object_type",
    "object_id",
    "changes",
)


class UnknownFormat(ValueError):
    pass


@dataclass
class Section:
    title: str
    columns: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class SubjectAccess:
    child: Child
    made_at: dt.datetime
    record: dict[str, Any]
    sections: list[Section]
    audit: Section

    def as_dict(self) -> dict[str, Any]:
        return {
            "made_at": self.made_at.isoformat(),
            "child": self.record,
            **{_key(section.title): section.rows for section in self.sections},
            "audit_trail": self.audit.rows,
        }


def _key(title: str) -> str:
    return title.lower().replace(" ", "_").replace("-", "_")


def _rows(queryset: "models.QuerySet[Any]") -> list[dict[str, Any]]:
    return [audit.snapshot(instance) for instance in queryset.order_by("pk")]


def _audit_row(event: AuditEvent, child: Child) -> dict[str, Any]:
    row = {name: getattr(event, name) for name in AUDIT_FIELDS}
    row["at"] = event.at.isoformat()
    if child.anonymised_on is not None and event.changes:
        row["changes"] = WITHHELD  # the values the retention schedule removed stay removed
    return row


def paths_to_child(paths: str | tuple[str, ...]) -> tuple[str, ...]:
    return (paths,) if isinstance(paths, str) else paths


def about_children(label: str, child_ids: Collection[int]) -> Q:
    """The rows of model `label` about any of these children, by each of its paths in
    `SECTIONS` (the export reads one child's; retention empties or deletes many children's)."""
    paths = next(paths_to_child(paths) for _, name, paths in SECTIONS if name == label)
    ids = list(child_ids)
    return reduce(operator.or_, (Q(**{f"{path}__in": ids}) for path in paths))


def collect(child: Child, *, at: dt.datetime) -> SubjectAccess:
    sections = []
    for title, label, _ in SECTIONS:
        model = apps.get_model(label)
        columns = [model_field.attname for model_field in model._meta.concrete_fields]
        rows = model._default_manager.filter(about_children(label, [child.pk]))
        sections.append(Section(title, columns, _rows(rows)))
    events = AuditEvent.objects.filter(child_id=child.pk).order_by("at", "pk")
    trail = Section(
        "Audit trail", list(AUDIT_FIELDS), [_audit_row(event, child) for event in events]
    )
    return SubjectAccess(
        child=child, made_at=at, record=audit.snapshot(child), sections=sections, audit=trail
    )


def as_json(export: SubjectAccess) -> bytes:
    return json.dumps(export.as_dict(), indent=2, ensure_ascii=False, default=str).encode("utf-8")


def as_pdf(export: SubjectAccess, *, base_url: str = "http://localhost/") -> bytes:
    html = render_to_string(TEMPLATE, {"export": export})
    return render_pdf(html, base_url=base_url)


def export_child(
    *, child: Child, fmt: str, actor: Any, at: dt.datetime, channel: Channel, where: str
) -> bytes:
    """The child's subject-access export in `fmt` (json or pdf), recorded in the audit trail."""
    if fmt not in FORMATS:
        raise UnknownFormat(UNKNOWN_FORMAT.format(formats=", ".join(FORMATS), value=fmt))
    audit.record_event(
        actor=actor,
        at=at,
        action=AuditAction.EXPORTED,
        channel=channel,
        instance=child,
        child_id=child.pk,
        where=where,
        changes={"subject_access_export": fmt},
    )
    export = collect(child, at=at)
    return as_json(export) if fmt == "json" else as_pdf(export)
