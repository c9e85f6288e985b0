"""Provider reports and incidents: `POST /reports` and `POST /incidents` for a provider's system
(or a dual-registered child's school, for incidents), and lists scoped exactly like the pages.
Rule breaches answer 400 with the fields at fault."""

import datetime as dt
from typing import Any

from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from aptrack.accounts.requests import AuthenticatedHttpRequest
from aptrack.api.errors import name_refusals
from aptrack.api.reads import records_reads
from aptrack.api.types import Id, Input, Page
from aptrack.audit.models import Channel
from aptrack.reports import permissions, selectors, services
from aptrack.reports.models import IncidentCategory

reports_router = Router(tags=["reports"])
incidents_router = Router(tags=["incidents"])


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


class ProgressOut(Schema):
    outcome_id: int
    score: int
    note: str


class ReportOut(Schema):
    id: int
    placement_id: int
    child_id: int = Field(..., alias="placement.child_id")
    half_term_name: str
    academic_year: int
    period_start: dt.date
    period_end: dt.date
    version: int
    correction_reason: str
    possible_sessions: int
    attended_sessions: int
    attendance_percent: float | None
    english: str
    maths: str
    wellbeing: str
    incidents_summary: str
    child_words: str
    child_words_with_staff: bool
    family_words: str
    family_words_with_staff: bool
    next_steps: str
    submitted_at: dt.datetime
    progress: list[ProgressOut]

    @staticmethod
    def resolve_progress(obj: Any) -> list[Any]:
        return sorted(obj.progress.all(), key=lambda p: p.outcome_id)


class ProgressIn(Input):
    outcome_id: Id
    score: int = Field(ge=1, le=5)
    note: str = Field("", max_length=2000)


class ReportIn(Input):
    placement_id: Id
    half_term_start: dt.date = Field(description="The first day of the half term reported on")
    english: str = Field(min_length=1, max_length=10_000)
    maths: str = Field(min_length=1, max_length=10_000)
    wellbeing: str = Field(min_length=1, max_length=10_000)
    next_steps: str = Field(min_length=1, max_length=10_000)
    progress: list[ProgressIn] = Field(default_factory=list, max_length=100)
    incidents_summary: str = Field("", max_length=10_000)
    child_words: str = Field("", max_length=10_000)
    child_words_with_staff: bool = False
    family_words: str = Field("", max_length=10_000)
    family_words_with_staff: bool = False
    correction_reason: str = Field("", max_length=10_000)


class IncidentOut(Schema):
    id: int
    placement_id: int
    child_id: int
    category: IncidentCategory
    occurred_at: dt.datetime
    what_happened: str
    actions_taken: str
    recorded_at: dt.datetime
    alert_raised: bool

    @staticmethod
    def resolve_alert_raised(obj: Any) -> bool:
        return obj.alert_id is not None


class IncidentIn(Input):
    placement_id: Id
    category: IncidentCategory
    occurred_at: dt.datetime
    what_happened: str = Field(min_length=1, max_length=10_000)
    actions_taken: str = Field(min_length=1, max_length=10_000)


name_refusals(
    services.ReportInvalid, detail="The report or incident was not accepted", record="__all__"
)


@reports_router.get("", response=list[ReportOut], summary="Reports the caller may read")
@records_reads(lambda report: report.placement.child_id)
@paginate(Page)
def list_reports(request: AuthenticatedHttpRequest, placement_id: Id | None = None) -> Any:
    reports = selectors.list_reports(user=request.user).prefetch_related("progress")
    if placement_id is not None:
        reports = reports.filter(placement_id=placement_id)
    return reports


@reports_router.post(
    "",
    response={201: ReportOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Send a half-termly report (provider staff, their own placements)",
)
def create_report(request: AuthenticatedHttpRequest, payload: ReportIn) -> Any:
    placement = selectors.get_placement(user=request.user, placement_id=payload.placement_id)
    if placement is None:
        return Status(404, {"detail": "No placement found"})
    if not permissions.can_write_report(request.user, placement):
        return Status(403, {"detail": "Only the placement's provider writes its reports"})
    fields = payload.dict(exclude={"placement_id", "progress"})
    data = services.ReportData(
        **fields, progress={p.outcome_id: (p.score, p.note) for p in payload.progress}
    )
    report = services.submit_report(
        placement=placement,
        data=data,
        by=request.user,
        at=timezone.now(),
        channel=Channel.API,
        where=request.path,
    )
    return Status(201, report)


@incidents_router.get("", response=list[IncidentOut], summary="Incidents the caller may read")
@records_reads(lambda incident: incident.child_id)
@paginate(Page)
def list_incidents(request: AuthenticatedHttpRequest, child_id: Id | None = None) -> Any:
    incidents = selectors.list_incidents(user=request.user)
    if child_id is not None:
        incidents = incidents.filter(child_id=child_id)
    return incidents


@incidents_router.post(
    "",
    response={201: IncidentOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="Record an incident or safeguarding concern",
)
def create_incident(request: AuthenticatedHttpRequest, payload: IncidentIn) -> Any:
    placement = selectors.get_placement(user=request.user, placement_id=payload.placement_id)
    if placement is None:
        return Status(404, {"detail": "No placement found"})
    if not permissions.can_record_incident(request.user, placement):
        return Status(403, {"detail": "You cannot record incidents for this placement"})
    occurred = payload.occurred_at
    if timezone.is_naive(occurred):  # a time without an offset is UK time
        occurred = timezone.make_aware(occurred)
    incident = services.record_incident(
        placement=placement,
        data=services.IncidentData(
            category=payload.category,
            occurred_at=occurred,
            what_happened=payload.what_happened,
            actions_taken=payload.actions_taken,
        ),
        by=request.user,
        at=timezone.now(),
        channel=Channel.API,
        where=request.path,
    )
    return Status(201, incident)
