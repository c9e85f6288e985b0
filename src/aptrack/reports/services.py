"""Every write to provider reports and incidents. The caller authorises and passes the clock
(`at`) and the actor (`by`). Each write leaves an audit event for the child."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from aptrack.accounts.models import User
from aptrack.alerts import services as alert_services
from aptrack.attendance import selectors as attendance_selectors
from aptrack.attendance.scopes import Period, Scope
from aptrack.audit import services as audit
from aptrack.audit.models import AuditAction, Channel
from aptrack.core.errors import DomainForbidden, DomainInvalid
from aptrack.placements import rules as placement_rules
from aptrack.placements.models import Placement
from aptrack.reports import rules
from aptrack.reports.models import Incident, IncidentCategory, ProviderReport, ReportProgress

HALF_TERM_UNKNOWN = "Choose a half term the placement ran in that has ended"
CORRECTION_REASON_MISSING = "Enter what this version corrects"
OUTCOME_UNKNOWN = "Score only the placement's own intended outcomes"
OUTCOMES_MISSING = "Score progress against every intended outcome"
OCCURRED_IN_FUTURE = "The date and time of the incident must be in the past"
OCCURRED_OUTSIDE_PLACEMENT = "The incident must be on or after the placement started"
RECORDER_WITHOUT_ORGANISATION = "Only the staff of a provider or a school record incidents"


class ReportInvalid(DomainInvalid):
    """What is wrong, by field (None: the whole report): one message each."""

    def __init__(self, errors: dict[str | None, str]) -> None:
        super().__init__({field: [message] for field, message in errors.items()})


class RecorderWithoutOrganisation(DomainForbidden):
    """Incidents are recorded by an organisation's staff (the views check it first)."""


@dataclass(frozen=True)
class ReportData:
    half_term_start: dt.date
    english: str
    maths: str
    wellbeing: str
    next_steps: str
    progress: dict[int, tuple[int, str]]  # outcome id -> (score 1-5, note)
    incidents_summary: str = ""
    child_words: str = ""
    child_words_with_staff: bool = False
    family_words: str = ""
    family_words_with_staff: bool = False
    correction_reason: str = ""


def submit_report(
    *,
    placement: Placement,
    data: ReportData,
    by: User,
    at: dt.datetime,
    channel: Channel,
    where: str,
) -> ProviderReport:
    """Submit the report for a half term, or (when one exists) its next version, which must say
    what it corrects. Attendance is filled from the marks for the half term."""
    la_id = placement_rules.answering_la_id(placement)
    half_term = rules.find_half_term(la_id=la_id, start_date=data.half_term_start)
    today = at.date()
    if (
        half_term is None
        or half_term.start_date > today
        or placement.start_date > half_term.end_date
        or (placement.end_date is not None and placement.end_date < half_term.start_date)
    ):
        raise ReportInvalid({"half_term": HALF_TERM_UNKNOWN})
    outcome_ids = set(placement.outcomes.values_list("pk", flat=True))
    if set(data.progress) - outcome_ids:
        raise ReportInvalid({None: OUTCOME_UNKNOWN})
    if outcome_ids - set(data.progress):
        raise ReportInvalid({None: OUTCOMES_MISSING})
    measures = attendance_selectors.get_measures(
        scope=Scope.placement(placement.pk),
        period=Period(half_term.start_date, half_term.end_date, half_term.label),
        include_hours=False,
    )
    with transaction.atomic():
        # Lock the placement so two submissions for one half term number their versions apart.
        Placement.objects.select_for_update().filter(pk=placement.pk).first()
        previous = (
            ProviderReport.objects.filter(placement=placement, period_start=half_term.start_date)
            .order_by("-version")
            .first()
        )
        if previous is not None and not data.correction_reason.strip():
            raise ReportInvalid({"correction_reason": CORRECTION_REASON_MISSING})
        report = ProviderReport.objects.create(
            placement=placement,
            half_term_name=half_term.name,
            academic_year=half_term.academic_year,
            period_start=half_term.start_date,
            period_end=half_term.end_date,
            version=previous.version + 1 if previous else 1,
            correction_reason=data.correction_reason.strip() if previous else "",
            possible_sessions=measures.counts.possible,
            attended_sessions=measures.counts.attended,
            attendance_percent=measures.rates.attendance,
            english=data.english,
            maths=data.maths,
            wellbeing=data.wellbeing,
            incidents_summary=data.incidents_summary,
            child_words=data.child_words,
            child_words_with_staff=data.child_words_with_staff,
            family_words=data.family_words,
            family_words_with_staff=data.family_words_with_staff,
            next_steps=data.next_steps,
            submitted_by=by,
            submitted_at=at,
        )
        ReportProgress.objects.bulk_create(
            ReportProgress(report=report, outcome_id=outcome_id, score=score, note=note)
            for outcome_id, (score, note) in sorted(data.progress.items())
        )
        audit.record_event(
            actor=by,
            at=at,
            action=AuditAction.CREATED,
            channel=channel,
            instance=report,
            child_id=placement.child_id,
            where=where,
            changes={
                "half_term": {"old": None, "new": half_term.label},
                "version": {"old": previous.version if previous else None, "new": report.version},
            },
        )
    return report


@dataclass(frozen=True)
class IncidentData:
    category: IncidentCategory
    occurred_at: dt.datetime
    what_happened: str
    actions_taken: str


def record_incident(
    *,
    placement: Placement,
    data: IncidentData,
    by: User,
    at: dt.datetime,
    channel: Channel,
    where: str,
) -> Incident:
    """Record an incident. A safeguarding concern raises an alert the same moment, to the LA
    answering for the placement and, for a looked-after child or one on a child protection plan,
    to their social worker and virtual school head (`alerts.services.raise_safeguarding_concern`)."""
    organisation = by.organisation
    if organisation is None:
        raise RecorderWithoutOrganisation(RECORDER_WITHOUT_ORGANISATION)
    if data.occurred_at > at:
        raise ReportInvalid({"occurred_at": OCCURRED_IN_FUTURE})
    if data.occurred_at.date() < placement.start_date:
        raise ReportInvalid({"occurred_at": OCCURRED_OUTSIDE_PLACEMENT})
    with transaction.atomic():
        incident = Incident.objects.create(
            placement=placement,
            child_id=placement.child_id,
            category=data.category,
            occurred_at=data.occurred_at,
            what_happened=data.what_happened,
            actions_taken=data.actions_taken,
            recorded_by=by,
            recorded_by_organisation=organisation,
            recorded_at=at,
        )
        audit.record_event(
            actor=by,
            at=at,
            action=AuditAction.CREATED,
            channel=channel,
            instance=incident,
            child_id=placement.child_id,
            where=where,
            changes={"category": {"old": None, "new": incident.category}},
        )
        if incident.is_safeguarding:
            incident.alert = alert_services.raise_safeguarding_concern(
                placement=placement,
                reason=f"Safeguarding concern recorded by {organisation.name}",
                at=at,
                actor=by,
                channel=channel,
                where=where,
            )
            incident.save(update_fields=["alert"])
    return incident
