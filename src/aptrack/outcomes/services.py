"""Every write to outcomes: grades, qualifications, wellbeing scores, attendance before AP and
outreach to schools.

One door per change: each function checks its rules, writes in one transaction and leaves an
audit entry. Callers pass the actor and the clock, and have already checked that the actor may
record outcomes for the placement (`permissions`).
"""

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from aptrack.accounts.models import User
from aptrack.audit import services as audit
from aptrack.audit.models import AuditAction, Channel
from aptrack.core.concurrency import RecordChangedElsewhere, lock_version
from aptrack.core.errors import DomainInvalid, Errors
from aptrack.organisations.models import LocalAuthority, Organisation, OrganisationKind
from aptrack.outcomes import grades
from aptrack.outcomes.models import (
    WELLBEING_MAX,
    WELLBEING_MIN,
    AssessmentPoint,
    AttainmentRecord,
    AttendanceSource,
    OutreachSupport,
    PriorAttendance,
    Qualification,
    QualificationKind,
    QualificationLevel,
    Subject,
    WellbeingScore,
)
from aptrack.outcomes.states import QualificationStatus, can_move
from aptrack.placements.models import Placement, Review
from aptrack.placements.states import PlacementStatus

# A baseline may be taken at the planning meeting or induction, shortly before the start.
ENTRY_WINDOW_DAYS = 28

# --- messages (tests import these) ---------------------------------------------------------

PLACEMENT_CANCELLED = "Outcomes cannot be recorded for a cancelled placement"
SUBJECT_NEEDED = "Select English or maths"
POINT_NEEDED = "Select when the grade was recorded"
GRADE_NEEDED = "Select the grade"
GRADE_INVALID = "Select a grade from the list"
KS4_GRADE_INVALID = "A KS4 result is a GCSE grade from 9 to 1, or U"
DATE_NEEDED = "Enter the date"
DATE_IN_FUTURE = "The date must be today or in the past"
DATE_BEFORE_ENTRY = (
    "The date must be no more than {days} days before the placement started, on {start}"
)
DATE_BEFORE_START = "The date must be on or after the placement started, on {start}"
REVIEW_OTHER_PLACEMENT = "Select one of this placement's reviews"
ALREADY_RECORDED = "{subject} {point} is already recorded for this placement"
TITLE_NEEDED = "Enter the name of the qualification"
TITLE_TOO_LONG = "The name of the qualification must be 200 characters or fewer"
KIND_NEEDED = "Select the type of qualification"
LEVEL_NEEDED = "Select the level"
STATUS_NEEDED = "Select the status"
STARTED_NEEDED = "Enter the date the child started working towards it"
RESULT_DATE_NEEDED = "Enter the date of the result"
RESULT_BEFORE_START = "The result date must be on or after the date the child started"
MOVE_NOT_ALLOWED = "A qualification that is {source} cannot become {target}"
SCORE_NEEDED = "Enter the score"
SCORE_INVALID = f"The score must be a whole number from {WELLBEING_MIN} to {WELLBEING_MAX}"
PERCENT_NEEDED = "Enter the attendance percentage"
PERCENT_INVALID = "Attendance must be a percentage from 0 to 100"
SOURCE_NEEDED = "Select where the figure comes from"
PERIOD_START_NEEDED = "Enter the first day of the period"
PERIOD_END_NEEDED = "Enter the last day of the period"
PERIOD_OUT_OF_ORDER = "The last day of the period must be on or after the first day"
PERIOD_NOT_BEFORE = "The period must end before the placement started, on {start}"
SCHOOL_NEEDED = "Select the school"
SCHOOL_NOT_IN_LA = "Select one of your local authority's schools"
PROVIDER_NOT_PROVIDER = "Select a provider from the list"
START_NEEDED = "Enter the start date"
END_BEFORE_START = "The end date must be on or after the start date"
PUPILS_NEEDED = "Enter how many pupils were supported"
PUPILS_INVALID = "The number of pupils must be a whole number, 0 or more"
HOURS_NEEDED = "Enter the hours of support"
HOURS_INVALID = "Hours must be a number, 0 or more"
PURPOSE_NEEDED = "Describe the purpose of the support"


class QualificationChangedElsewhere(RecordChangedElsewhere):
    pass


class OutcomeInvalid(DomainInvalid):
    """Input an outcome cannot take; `errors` maps a field name (or None) to messages."""


# --- helpers -------------------------------------------------------------------------------


def _add(errors: Errors, field: str | None, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _uk(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _today(at: dt.datetime) -> dt.date:
    return timezone.localtime(at).date() if timezone.is_aware(at) else at.date()


def _text(value: Any) -> str:
    return str(value or "").strip()


def _check_open(placement: Placement) -> None:
    if placement.status == PlacementStatus.CANCELLED:
        raise OutcomeInvalid({None: [PLACEMENT_CANCELLED]})


def _check_date(
    errors: Errors,
    field: str,
    day: dt.date | None,
    *,
    at: dt.datetime,
    placement: Placement,
    entry: bool,
    message: str = DATE_NEEDED,
) -> None:
    """Required, not in the future, and during the placement (entry: up to ENTRY_WINDOW_DAYS
    before it)."""
    if day is None:
        _add(errors, field, message)
    elif day > _today(at):
        _add(errors, field, DATE_IN_FUTURE)
    elif entry and day < placement.start_date - dt.timedelta(days=ENTRY_WINDOW_DAYS):
        _add(
            errors,
            field,
            DATE_BEFORE_ENTRY.format(days=ENTRY_WINDOW_DAYS, start=_uk(placement.start_date)),
        )
    elif not entry and day < placement.start_date:
        _add(errors, field, DATE_BEFORE_START.format(start=_uk(placement.start_date)))


def _check_review(errors: Errors, review: Review | None, placement: Placement) -> None:
    if review is not None and review.placement_id != placement.pk:
        _add(errors, "review", REVIEW_OTHER_PLACEMENT)


def _int(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") and int(value) == Decimal(str(value)) else None
    except (TypeError, ValueError, InvalidOperation):
        return None


def _created(
    actor: User,
    at: dt.datetime,
    instance: models.Model,
    child_id: int | None,
    channel: Channel,
    where: str,
) -> None:
    audit.record_event(
        actor=actor,
        at=at,
        action=AuditAction.CREATED,
        channel=channel,
        instance=instance,
        child_id=child_id,
        where=where,
        changes=audit.snapshot(instance),
    )


# --- attainment ----------------------------------------------------------------------------


def record_attainment(
    *,
    actor: User,
    at: dt.datetime,
    placement: Placement,
    data: dict[str, Any],
    channel: Channel = Channel.WEB,
    where: str = "",
) -> AttainmentRecord:
    """Record an English or maths grade on entry, at a review or progress check, or a KS4
    result. One entry grade and one KS4 result per subject; as many review grades as wanted."""
    _check_open(placement)
    errors: Errors = {}
    subject, point, review = data.get("subject"), data.get("point"), data.get("review")
    if subject not in Subject.values:
        _add(errors, "subject", SUBJECT_NEEDED)
    if point not in AssessmentPoint.values:
        _add(errors, "point", POINT_NEEDED)
    if point != AssessmentPoint.REVIEW:
        review = None
    _check_review(errors, review, placement)
    assessed = data.get("assessed_date") or (review.held_date if review is not None else None)
    grade = _int(data.get("grade"))
    if data.get("grade") in (None, ""):
        _add(errors, "grade", GRADE_NEEDED)
    elif grade is None or not grades.is_valid_grade(
        grade, ks4_result=point == AssessmentPoint.KS4_RESULT
    ):
        _add(
            errors,
            "grade",
            KS4_GRADE_INVALID if point == AssessmentPoint.KS4_RESULT else GRADE_INVALID,
        )
    _check_date(
        errors,
        "assessed_date",
        assessed,
        at=at,
        placement=placement,
        entry=point != AssessmentPoint.REVIEW,
    )
    with transaction.atomic():
        Placement.objects.select_for_update().filter(pk=placement.pk).first()
        if (
            point in (AssessmentPoint.ENTRY, AssessmentPoint.KS4_RESULT)
            and subject in Subject.values
            and AttainmentRecord.objects.filter(
                placement=placement, subject=subject, point=point
            ).exists()
        ):
            label = AssessmentPoint(point).label.lower()
            _add(
                errors,
                "point",
                ALREADY_RECORDED.format(subject=Subject(subject).label, point=label),
            )
        # Each of these is None only with its error recorded.
        if errors or subject is None or point is None or grade is None or assessed is None:
            raise OutcomeInvalid(errors)
        record = AttainmentRecord.objects.create(
            placement=placement,
            subject=subject,
            point=point,
            review=review,
            grade=grade,
            assessed_date=assessed,
            recorded_by=actor,
            recorded_at=at,
        )
        _created(actor, at, record, placement.child_id, channel, where)
    return record


# --- qualifications ------------------------------------------------------------------------


def _check_result(
    errors: Errors,
    status: str | None,
    started: dt.date | None,
    result_date: dt.date | None,
    at: dt.datetime,
) -> None:
    if status in (QualificationStatus.ACHIEVED, QualificationStatus.NOT_ACHIEVED):
        if result_date is None:
            _add(errors, "result_date", RESULT_DATE_NEEDED)
        elif result_date > _today(at):
            _add(errors, "result_date", DATE_IN_FUTURE)
        elif started is not None and result_date < started:
            _add(errors, "result_date", RESULT_BEFORE_START)


def record_qualification(
    *,
    actor: User,
    at: dt.datetime,
    placement: Placement,
    data: dict[str, Any],
    channel: Channel = Channel.WEB,
    where: str = "",
) -> Qualification:
    """Record a qualification the child is working towards, or has achieved (or not)."""
    _check_open(placement)
    errors: Errors = {}
    title = _text(data.get("title"))
    if not title:
        _add(errors, "title", TITLE_NEEDED)
    elif len(title) > 200:
        _add(errors, "title", TITLE_TOO_LONG)
    kind, level, status = data.get("kind"), data.get("level"), data.get("status")
    if kind not in QualificationKind.values:
        _add(errors, "kind", KIND_NEEDED)
    if level not in QualificationLevel.values:
        _add(errors, "level", LEVEL_NEEDED)
    if status not in QualificationStatus.values:
        _add(errors, "status", STATUS_NEEDED)
    started = data.get("started_date")
    if started is None:
        _add(errors, "started_date", STARTED_NEEDED)
    elif started > _today(at):
        _add(errors, "started_date", DATE_IN_FUTURE)
    result_date = data.get("result_date") if status != QualificationStatus.WORKING_TOWARDS else None
    _check_result(errors, status, started, result_date, at)
    # Each of these is None only with its error recorded.
    if errors or kind is None or level is None or status is None or started is None:
        raise OutcomeInvalid(errors)
    with transaction.atomic():
        qualification = Qualification.objects.create(
            placement=placement,
            title=title,
            kind=kind,
            level=level,
            status=status,
            started_date=started,
            result_date=result_date,
            result=_text(data.get("result"))[:40] if result_date else "",
            recorded_by=actor,
            recorded_at=at,
            updated_at=at,
        )
        _created(actor, at, qualification, placement.child_id, channel, where)
    return qualification


def update_qualification_status(
    *,
    actor: User,
    at: dt.datetime,
    qualification: Qualification,
    data: dict[str, Any],
    expected_version: int,
    channel: Channel = Channel.WEB,
    where: str = "",
) -> Qualification:
    """Record the result of a qualification (achieved or not), or a resit after a fail; refused
    if someone recorded one since `expected_version` was loaded."""
    with transaction.atomic():
        locked = lock_version(
            Qualification,
            pk=qualification.pk,
            expected_version=expected_version,
            error=QualificationChangedElsewhere,
        )
        _check_open(locked.placement)
        errors: Errors = {}
        target = data.get("status")
        if target not in QualificationStatus.values:
            _add(errors, "status", STATUS_NEEDED)
        elif not can_move(QualificationStatus(locked.status), QualificationStatus(target)):
            _add(
                errors,
                "status",
                MOVE_NOT_ALLOWED.format(
                    source=locked.get_status_display().lower(),
                    target=QualificationStatus(target).label.lower(),
                ),
            )
        result_date = (
            data.get("result_date") if target != QualificationStatus.WORKING_TOWARDS else None
        )
        _check_result(errors, target, locked.started_date, result_date, at)
        if errors or target is None:  # None only with its error recorded
            raise OutcomeInvalid(errors)
        before = audit.snapshot(locked)
        locked.status = target
        locked.result_date = result_date
        locked.result = _text(data.get("result"))[:40] if result_date else ""
        locked.updated_at = at
        changes = audit.diff(before, audit.snapshot(locked))
        locked.version += 1
        locked.save()
        audit.record_event(
            actor=actor,
            at=at,
            action=AuditAction.UPDATED,
            channel=channel,
            instance=locked,
            child_id=locked.placement.child_id,
            where=where,
            changes=changes,
        )
    return locked


# --- wellbeing -----------------------------------------------------------------------------


def record_wellbeing(
    *,
    actor: User,
    at: dt.datetime,
    placement: Placement,
    data: dict[str, Any],
    channel: Channel = Channel.WEB,
    where: str = "",
) -> WellbeingScore:
    """Record the child's wellbeing and engagement score, on entry or at a review."""
    _check_open(placement)
    errors: Errors = {}
    review = data.get("review")
    _check_review(errors, review, placement)
    score = _int(data.get("score"))
    if data.get("score") in (None, ""):
        _add(errors, "score", SCORE_NEEDED)
    elif score is None or not WELLBEING_MIN <= score <= WELLBEING_MAX:
        _add(errors, "score", SCORE_INVALID)
    day = data.get("recorded_date") or (review.held_date if review is not None else None)
    _check_date(errors, "recorded_date", day, at=at, placement=placement, entry=review is None)
    if errors or score is None or day is None:  # None only with its error recorded
        raise OutcomeInvalid(errors)
    with transaction.atomic():
        wellbeing = WellbeingScore.objects.create(
            placement=placement,
            review=review,
            score=score,
            recorded_date=day,
            note=_text(data.get("note")),
            recorded_by=actor,
            recorded_at=at,
        )
        _created(actor, at, wellbeing, placement.child_id, channel, where)
    return wellbeing


# --- attendance before AP ------------------------------------------------------------------


def record_prior_attendance(
    *,
    actor: User,
    at: dt.datetime,
    placement: Placement,
    data: dict[str, Any],
    channel: Channel = Channel.WEB,
    where: str = "",
) -> PriorAttendance:
    """Record (or correct) the child's attendance at school over a period before the placement."""
    _check_open(placement)
    errors: Errors = {}
    raw = data.get("attendance_percent")
    try:
        percent = Decimal(str(raw)).quantize(Decimal("0.1")) if raw not in (None, "") else None
    except InvalidOperation:
        percent = Decimal(-1)
    if percent is None:
        _add(errors, "attendance_percent", PERCENT_NEEDED)
    elif not Decimal(0) <= percent <= Decimal(100):
        _add(errors, "attendance_percent", PERCENT_INVALID)
    if data.get("source") not in AttendanceSource.values:
        _add(errors, "source", SOURCE_NEEDED)
    first, last = data.get("period_start_date"), data.get("period_end_date")
    if first is None:
        _add(errors, "period_start_date", PERIOD_START_NEEDED)
    if last is None:
        _add(errors, "period_end_date", PERIOD_END_NEEDED)
    elif last > _today(at):
        _add(errors, "period_end_date", DATE_IN_FUTURE)
    elif last >= placement.start_date:
        _add(errors, "period_end_date", PERIOD_NOT_BEFORE.format(start=_uk(placement.start_date)))
    elif first is not None and last < first:
        _add(errors, "period_end_date", PERIOD_OUT_OF_ORDER)
    if errors:
        raise OutcomeInvalid(errors)
    values = {
        "attendance_percent": percent,
        "period_start_date": first,
        "period_end_date": last,
        "source": data["source"],
        "recorded_by": actor,
        "recorded_at": at,
    }
    with transaction.atomic():
        existing = PriorAttendance.objects.select_for_update().filter(placement=placement).first()
        if existing is None:
            prior = PriorAttendance.objects.create(placement=placement, **values)
            _created(actor, at, prior, placement.child_id, channel, where)
            return prior
        before = audit.snapshot(existing)
        for name, value in values.items():
            setattr(existing, name, value)
        existing.save()
        audit.record_event(
            actor=actor,
            at=at,
            action=AuditAction.UPDATED,
            channel=channel,
            instance=existing,
            child_id=placement.child_id,
            where=where,
            changes=audit.diff(before, audit.snapshot(existing)),
        )
    return existing


# --- outreach ------------------------------------------------------------------------------


def record_outreach(
    *,
    actor: User,
    at: dt.datetime,
    la: LocalAuthority,
    data: dict[str, Any],
    channel: Channel = Channel.WEB,
    where: str = "",
) -> OutreachSupport:
    """Record tier 1 support given to one of the LA's schools."""
    errors: Errors = {}
    school: Organisation | None = data.get("school")
    provider: Organisation | None = data.get("provider")
    if school is None:
        _add(errors, "school", SCHOOL_NEEDED)
    elif school.kind != OrganisationKind.SCHOOL or school.local_authority_id != la.pk:
        _add(errors, "school", SCHOOL_NOT_IN_LA)
    if provider is not None and provider.kind != OrganisationKind.PROVIDER:
        _add(errors, "provider", PROVIDER_NOT_PROVIDER)
    start, end = data.get("start_date"), data.get("end_date")
    if start is None:
        _add(errors, "start_date", START_NEEDED)
    elif start > _today(at):
        _add(errors, "start_date", DATE_IN_FUTURE)
    if end is not None and start is not None and end < start:
        _add(errors, "end_date", END_BEFORE_START)
    pupils = _int(data.get("pupils_supported"))
    if data.get("pupils_supported") in (None, ""):
        _add(errors, "pupils_supported", PUPILS_NEEDED)
    elif pupils is None or pupils < 0:
        _add(errors, "pupils_supported", PUPILS_INVALID)
    raw_hours = data.get("hours")
    try:
        hours = (
            Decimal(str(raw_hours)).quantize(Decimal("0.1"))
            if raw_hours not in (None, "")
            else None
        )
    except InvalidOperation:
        hours = Decimal(-1)
    if hours is None:
        _add(errors, "hours", HOURS_NEEDED)
    elif hours < 0 or hours >= Decimal("1000000"):
        _add(errors, "hours", HOURS_INVALID)
    purpose = _text(data.get("purpose"))
    if not purpose:
        _add(errors, "purpose", PURPOSE_NEEDED)
    # Each of these is None only with its error recorded.
    if errors or school is None or start is None or pupils is None or hours is None:
        raise OutcomeInvalid(errors)
    with transaction.atomic():
        outreach = OutreachSupport.objects.create(
            local_authority=la,
            school=school,
            provider=provider,
            start_date=start,
            end_date=end,
            pupils_supported=pupils,
            hours=hours,
            purpose=purpose,
            outcome=_text(data.get("outcome")),
            recorded_by=actor,
            recorded_at=at,
        )
        _created(actor, at, outreach, None, channel, where)
    return outreach
