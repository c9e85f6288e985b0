"""Writes of QA visits: start, record judgements, complete, and the actions that follow.
Callers pass the actor and the clock; every write is audited."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from aptrack.accounts.models import User
from aptrack.audit import services as audit
from aptrack.audit.models import AuditAction, Channel
from aptrack.core.errors import DomainConflict
from aptrack.providers.models import Provider
from aptrack.quality import permissions
from aptrack.quality.models import (
    Framework,
    QAVisit,
    Standard,
    StandardJudgement,
    VisitAction,
    VisitType,
)
from aptrack.quality.selectors import visits as visit_selectors
from aptrack.quality.services.common import created_changes, record_audit
from aptrack.quality.services.errors import (
    ChangedElsewhere,
    MoveNotAllowed,
    NotAllowed,
    QualityInvalid,
)
from aptrack.quality.states import ActionStatus, VisitStatus, can_move_action, can_move_visit

FRAMEWORK_NOT_USABLE = "Select a national framework or one of your local authority's own"
REVISIT_BEFORE_VISIT = "Re-visit date must be after the visit date"
GRADE_NEEDED_FOR_NOTES = "Select a judgement for standard {code} to go with the evidence notes"
STANDARD_NOT_IN_VISIT = "Standard {code} is not part of this visit's framework"
VISIT_COMPLETED = "This visit has been completed and can no longer be changed"
VISIT_IN_FUTURE = "A visit cannot be completed before the visit date"
OVERALL_NEEDED = "Select an overall judgement"
STANDARD_NOT_JUDGED = "Select a judgement for standard {code}"
VISIT_MOVE_NOT_ALLOWED = "A visit cannot move from {source} to {target}"
ACTION_MOVE_NOT_ALLOWED = "An action cannot move from {source} to {target}"
RECORD_CHANGED = (
    "Someone else changed this visit while you were editing it. Your changes have not been "
    "saved: reload the page to see theirs."
)


class VisitNotEditable(DomainConflict):
    """A completed visit's judgements stand as recorded."""


class VisitNotCompletable(DomainConflict):
    """The visit lacks what completion needs; each gap is listed."""

    def __init__(self, *, unjudged: list[Standard], needs_overall: bool, other: list[str]) -> None:
        self.unjudged = unjudged
        self.needs_overall = needs_overall
        self.other = other
        messages = list(other)
        if needs_overall:
            messages.append(OVERALL_NEEDED)
        messages += [STANDARD_NOT_JUDGED.format(code=s.code) for s in unjudged]
        self.messages = messages
        super().__init__("; ".join(messages))


def _ensure_can_record(actor: User) -> int:
    la_id = permissions.user_la_id(actor)
    if la_id is None or not permissions.can_record_qa(actor):
        raise NotAllowed("Only local authority staff record QA visits")
    return la_id


def start_visit(
    *,
    actor: User,
    at: dt.datetime,
    provider: Provider,
    framework: Framework,
    visit_type: VisitType,
    visit_date: dt.date,
    visitors: str,
    channel: Channel = Channel.WEB,
    where: str = "",
) -> QAVisit:
    """Open a draft visit by the actor's LA, to be judged against `framework`."""
    la_id = _ensure_can_record(actor)
    if not permissions.can_use_framework(actor, framework):
        raise QualityInvalid({"framework": [FRAMEWORK_NOT_USABLE]})
    with transaction.atomic():
        visit = QAVisit.objects.create(
            provider=provider,
            local_authority_id=la_id,
            framework=framework,
            visit_type=VisitType(visit_type),
            visit_date=visit_date,
            visitors=visitors.strip(),
            created_by=actor,
            created_at=at,
            updated_at=at,
        )
        record_audit(
            actor=actor,
            at=at,
            action=AuditAction.CREATED,
            instance=visit,
            channel=channel,
            where=where,
            changes=created_changes(visit, "created_at", "updated_at", "version"),
        )
    return visit


VISIT_FIELDS = (
    "visit_type",
    "visit_date",
    "visitors",
    "child_feedback",
    "family_feedback",
    "summary",
    "overall_judgement",
    "revisit_date",
)


def record_visit(
    *,
    actor: User,
    at: dt.datetime,
    visit: QAVisit,
    details: dict[str, Any],
    judgements: dict[int, tuple[int | None, str]],
    expected_version: int,
    channel: Channel = Channel.WEB,
    where: str = "",
) -> QAVisit:
    """Save a draft visit: its details, feedback and overall judgement (`details`), and a
    judgement per standard (`judgements`: standard id to grade and evidence notes). A standard
    with neither grade nor notes is left unjudged."""
    if not permissions.can_manage_actions(actor, visit):
        raise NotAllowed("Only the visiting local authority can record this visit")
    with transaction.atomic():
        locked = QAVisit.objects.select_for_update().get(pk=visit.pk)
        if locked.status != VisitStatus.DRAFT:
            raise VisitNotEditable(VISIT_COMPLETED)
        if locked.version != expected_version:
            raise ChangedElsewhere(RECORD_CHANGED)
        clean = {key: details[key] for key in VISIT_FIELDS if key in details}
        errors: dict[str | None, list[str]] = {}
        standard_errors: dict[int, list[str]] = {}
        if "visitors" in clean:
            clean["visitors"] = clean["visitors"].strip()
        visit_date = clean.get("visit_date", locked.visit_date)
        revisit = clean.get("revisit_date")
        if revisit is not None and revisit <= visit_date:
            errors["revisit_date"] = [REVISIT_BEFORE_VISIT]
        standards = {s.pk: s for s in visit_selectors.list_visit_standards(visit=locked)}
        existing = visit_selectors.list_judgements(visit=locked)
        for standard_id, (grade, notes) in judgements.items():
            standard = standards.get(standard_id)
            if standard is None:
                errors.setdefault(None, []).append(STANDARD_NOT_IN_VISIT.format(code=standard_id))
            elif grade is None and notes.strip():
                standard_errors[standard_id] = [GRADE_NEEDED_FOR_NOTES.format(code=standard.code)]
        if errors or standard_errors:
            raise QualityInvalid(errors, standard_errors)

        before = audit.snapshot(locked)
        for key, value in clean.items():
            setattr(locked, key, value)
        changes = audit.diff(before, audit.snapshot(locked))
        for standard_id, (grade, notes) in judgements.items():
            code = standards[standard_id].code
            current = existing.get(standard_id)
            old = (current.grade, current.evidence_notes) if current else None
            if grade is None:
                if current is not None:
                    current.delete()
                    changes[f"standard {code}"] = {
                        "old": [current.grade, current.evidence_notes],
                        "new": None,
                    }
                continue
            new = (int(grade), notes.strip())
            if old == new:
                continue
            StandardJudgement.objects.update_or_create(
                visit=locked,
                standard_id=standard_id,
                defaults={
                    "grade": new[0],
                    "evidence_notes": new[1],
                    "recorded_by": actor,
                    "recorded_at": at,
                },
            )
            changes[f"standard {code}"] = {"old": list(old) if old else None, "new": list(new)}
        if changes:
            locked.updated_at = at
            locked.version += 1
            locked.save()
            record_audit(
                actor=actor,
                at=at,
                action=AuditAction.UPDATED,
                instance=locked,
                channel=channel,
                where=where,
                changes=changes,
            )
    return locked


def complete_visit(
    *,
    actor: User,
    at: dt.datetime,
    visit: QAVisit,
    expected_version: int,
    channel: Channel = Channel.WEB,
    where: str = "",
) -> QAVisit:
    """Complete a visit. It needs an overall judgement and a judgement on every standard of its
    framework, and the visit date must have come."""
    if not permissions.can_manage_actions(actor, visit):
        raise NotAllowed("Only the visiting local authority can complete this visit")
    with transaction.atomic():
        locked = QAVisit.objects.select_for_update().get(pk=visit.pk)
        source, target = VisitStatus(locked.status), VisitStatus.COMPLETED
        if not can_move_visit(source, target):
            raise MoveNotAllowed(
                VISIT_MOVE_NOT_ALLOWED.format(source=source.label, target=target.label)
            )
        if locked.version != expected_version:
            raise ChangedElsewhere(RECORD_CHANGED)
        other = [VISIT_IN_FUTURE] if locked.visit_date > timezone.localdate(at) else []
        unjudged = visit_selectors.list_unjudged_standards(visit=locked)
        needs_overall = locked.overall_judgement is None
        if other or unjudged or needs_overall:
            raise VisitNotCompletable(unjudged=unjudged, needs_overall=needs_overall, other=other)
        locked.status = target
        locked.completed_by = actor
        locked.completed_at = at
        locked.updated_at = at
        locked.version += 1
        locked.save()
        record_audit(
            actor=actor,
            at=at,
            action=AuditAction.UPDATED,
            instance=locked,
            channel=channel,
            where=where,
            changes={"status": {"old": source.value, "new": target.value}},
        )
    return locked


def add_action(
    *,
    actor: User,
    at: dt.datetime,
    visit: QAVisit,
    text: str,
    owner_name: str,
    due_date: dt.date,
    channel: Channel = Channel.WEB,
    where: str = "",
) -> VisitAction:
    if not permissions.can_manage_actions(actor, visit):
        raise NotAllowed("Only the visiting local authority can set actions")
    with transaction.atomic():
        action = VisitAction.objects.create(
            visit=visit,
            text=text.strip(),
            owner_name=owner_name.strip(),
            due_date=due_date,
            created_by=actor,
            created_at=at,
        )
        record_audit(
            actor=actor,
            at=at,
            action=AuditAction.CREATED,
            instance=action,
            channel=channel,
            where=where,
            changes=created_changes(action),
        )
    return action


def set_action_status(
    *,
    actor: User,
    at: dt.datetime,
    action: VisitAction,
    target: ActionStatus,
    channel: Channel = Channel.WEB,
    where: str = "",
) -> VisitAction:
    if not permissions.can_manage_actions(actor, action.visit):
        raise NotAllowed("Only the visiting local authority can change actions")
    target = ActionStatus(target)
    with transaction.atomic():
        locked = VisitAction.objects.select_for_update().get(pk=action.pk)
        source = ActionStatus(locked.status)
        if not can_move_action(source, target):
            raise MoveNotAllowed(
                ACTION_MOVE_NOT_ALLOWED.format(source=source.label, target=target.label)
            )
        locked.status = target
        locked.done_at = at if target == ActionStatus.DONE else None
        locked.save(update_fields=["status", "done_at"])
        record_audit(
            actor=actor,
            at=at,
            action=AuditAction.UPDATED,
            instance=locked,
            channel=channel,
            where=where,
            changes={"status": {"old": source.value, "new": target.value}},
        )
    return locked
