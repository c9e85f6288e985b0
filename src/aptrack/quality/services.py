"""Every write to quality assurance. Callers pass the actor and the clock; every write is audited
(with no child: QA records are about providers)."""

import datetime as dt
import re
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from aptrack.audit import services as audit
from aptrack.audit.models import AuditAction, Channel
from aptrack.core.concurrency import RecordChangedElsewhere, lock_version
from aptrack.organisations.models import LocalAuthority
from aptrack.providers.models import Provider
from aptrack.quality import permissions, selectors
from aptrack.quality.models import (
    NAMED_PERSON_CHECK_TYPES,
    CheckType,
    ComplianceCheck,
    ComplianceOverride,
    Framework,
    Grade,
    QAVisit,
    Standard,
    StandardJudgement,
    VisitAction,
    VisitType,
)
from aptrack.quality.states import ActionStatus, VisitStatus, can_move_action, can_move_visit

EVIDENCE_IN_FUTURE = "Evidence date must be today or in the past"
EXPIRY_NOT_AFTER_EVIDENCE = "Expiry date must be after the evidence date"
NAMED_PERSON_NEEDED = "Enter the name of the designated safeguarding lead"
REASON_NEEDED = "Give the reason for going ahead with a provider that is not compliant"
OVERRIDE_NOT_NEEDED = "{provider} is compliant: no override is needed"
FRAMEWORK_NAME_TAKEN = "Your local authority already has a framework called {name}"
FRAMEWORK_NAME_NEEDED = "Enter a name for the framework"
CODE_FORMAT = "Code must be the area number, a full stop and a number, for example {area}.3"
CODE_TAKEN = "Standard {code} is already in this framework"
AREA_TITLE_NEEDED = "Enter the area's title: area {area} is new"
STANDARD_TEXT_NEEDED = "Enter the standard"
FRAMEWORK_NOT_USABLE = "Select a national framework or one of your local authority's own"
VISITORS_NEEDED = "Enter who made the visit"
REVISIT_BEFORE_VISIT = "Re-visit date must be after the visit date"
GRADE_OFF_SCALE = "Select a judgement from 1 (outstanding or strong) to 4 (inadequate)"
GRADE_NEEDED_FOR_NOTES = "Select a judgement for standard {code} to go with the evidence notes"
STANDARD_NOT_IN_VISIT = "Standard {code} is not part of this visit's framework"
VISIT_COMPLETED = "This visit has been completed and can no longer be changed"
VISIT_IN_FUTURE = "A visit cannot be completed before the visit date"
OVERALL_NEEDED = "Select an overall judgement"
STANDARD_NOT_JUDGED = "Select a judgement for standard {code}"
VISIT_MOVE_NOT_ALLOWED = "A visit cannot move from {source} to {target}"
ACTION_MOVE_NOT_ALLOWED = "An action cannot move from {source} to {target}"
ACTION_TEXT_NEEDED = "Enter the action"
ACTION_OWNER_NEEDED = "Enter who owns the action"
RECORD_CHANGED = (
    "Someone else changed this visit while you were editing it. Your changes have not been "
    "saved: reload the page to see theirs."
)
FRAMEWORK_CHANGED = (
    "Someone else changed this framework while you were editing it. Reload the page to see "
    "their changes."
)

CODE_PATTERN = re.compile(r"^(\d{1,2})\.(\d{1,2})([a-z])?$")


class NotAllowed(PermissionDenied):
    """The actor's role or organisation does not allow this change."""


class QualityInvalid(Exception):
    """Input QA cannot take. `errors` maps a field name (or None) to messages;
    `standard_errors` maps a standard's id to messages about its judgement."""

    def __init__(
        self,
        errors: dict[str | None, list[str]] | None = None,
        standard_errors: dict[int, list[str]] | None = None,
    ) -> None:
        self.errors = errors or {}
        self.standard_errors = standard_errors or {}
        messages = [m for ms in self.errors.values() for m in ms]
        messages += [m for ms in self.standard_errors.values() for m in ms]
        super().__init__("; ".join(messages))


class OverrideNotNeeded(Exception):
    pass


class ChangedElsewhere(RecordChangedElsewhere):
    pass


class VisitNotEditable(Exception):
    pass


class VisitNotCompletable(Exception):
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


class MoveNotAllowed(Exception):
    pass


def _audit(
    *,
    actor: Any,
    at: dt.datetime,
    action: AuditAction,
    instance: Any,
    channel: Channel,
    where: str,
    changes: dict[str, Any] | None = None,
) -> None:
    audit.record_event(
        actor=actor,
        at=at,
        action=action,
        channel=channel,
        instance=instance,
        child_id=None,
        where=where,
        changes=changes,
    )


def _created(instance: Any, *skip: str) -> dict[str, Any]:
    ignored = {"id", *skip}
    return {
        k: {"old": None, "new": v} for k, v in audit.snapshot(instance).items() if k not in ignored
    }


# --- compliance ----------------------------------------------------------------------------


def record_compliance_check(
    *,
    actor: Any,
    at: dt.datetime,
    provider: Provider,
    check_type: CheckType,
    evidence_date: dt.date,
    expiry_date: dt.date,
    named_person: str = "",
    evidence_reference: str = "",
    notes: str = "",
    channel: Channel = Channel.WEB,
    where: str = "",
) -> ComplianceCheck:
    """Record new evidence for one check. It supersedes the current evidence of that type,
    which is kept as history. Provider staff may record only for their own provider."""
    if not permissions.can_record_evidence(actor, provider):
        raise NotAllowed("You cannot record evidence for this provider")
    check_type = CheckType(check_type)
    errors: dict[str | None, list[str]] = {}
    if evidence_date > timezone.localdate(at):
        errors["evidence_date"] = [EVIDENCE_IN_FUTURE]
    if expiry_date <= evidence_date:
        errors["expiry_date"] = [EXPIRY_NOT_AFTER_EVIDENCE]
    named_person = named_person.strip()
    if check_type in NAMED_PERSON_CHECK_TYPES and not named_person:
        errors["named_person"] = [NAMED_PERSON_NEEDED]
    if errors:
        raise QualityInvalid(errors)
    with transaction.atomic():
        # Lock the provider so two recorders of the same check queue rather than collide.
        Provider.objects.select_for_update().filter(pk=provider.pk).first()
        current = (
            ComplianceCheck.objects.select_for_update()
            .filter(provider=provider, check_type=check_type, superseded_at__isnull=True)
            .first()
        )
        if current is not None:
            current.superseded_at = at
            current.save(update_fields=["superseded_at"])
        check = ComplianceCheck.objects.create(
            provider=provider,
            check_type=check_type,
            evidence_date=evidence_date,
            expiry_date=expiry_date,
            named_person=named_person,
            evidence_reference=evidence_reference.strip(),
            notes=notes.strip(),
            recorded_by=actor,
            recorded_at=at,
        )
        if current is not None:
            current.superseded_by = check
            current.save(update_fields=["superseded_by"])
        changes = _created(check, "superseded_at", "superseded_by_id")
        if current is not None:
            changes["supersedes"] = {"old": None, "new": current.pk}
        _audit(
            actor=actor,
            at=at,
            action=AuditAction.CREATED,
            instance=check,
            channel=channel,
            where=where,
            changes=changes,
        )
    return check


def override_non_compliance(
    *,
    actor: Any,
    at: dt.datetime,
    provider: Provider,
    reason: str,
    on: dt.date | None = None,
    channel: Channel = Channel.WEB,
    where: str = "",
) -> ComplianceOverride:
    """An LA manager records why their LA goes ahead with a provider that is not compliant on
    `on` (today by default). What was missing or expired is kept with the reason."""
    if not permissions.can_override_non_compliance(actor):
        raise NotAllowed("Only an LA manager can override non-compliance")
    reason = reason.strip()
    if not reason:
        raise QualityInvalid({"reason": [REASON_NEEDED]})
    status = selectors.get_compliance(provider=provider, on=on or timezone.localdate(at))
    if status.compliant:
        raise OverrideNotNeeded(OVERRIDE_NOT_NEEDED.format(provider=provider.name))
    with transaction.atomic():
        override = ComplianceOverride.objects.create(
            provider=provider,
            local_authority_id=permissions.user_la_id(actor),
            reason=reason,
            gaps={
                "on": status.on.isoformat(),
                "missing": [str(t) for t in status.missing],
                "expired": [
                    {"check_type": c.check_type, "expiry_date": c.expiry_date.isoformat()}
                    for c in status.expired
                ],
            },
            by=actor,
            at=at,
        )
        _audit(
            actor=actor,
            at=at,
            action=AuditAction.CREATED,
            instance=override,
            channel=channel,
            where=where,
            changes=_created(override),
        )
    return override


# --- frameworks ----------------------------------------------------------------------------


def _ensure_can_edit(actor: Any, framework: Framework) -> None:
    if not permissions.can_edit_framework(actor, framework):
        raise NotAllowed("You can only change your own local authority's frameworks")


def copy_framework(
    *,
    actor: Any,
    at: dt.datetime,
    la: LocalAuthority,
    source: Framework,
    name: str = "",
    channel: Channel = Channel.WEB,
    where: str = "",
) -> Framework:
    """Copy a framework and its current standards into one the LA owns and may edit."""
    if not permissions.can_copy_framework(actor) or permissions.user_la_id(actor) != la.pk:
        raise NotAllowed("You can only copy frameworks into your own local authority")
    if not permissions.can_view_framework(actor, source):
        raise NotAllowed("You cannot copy this framework")
    name = name.strip() or f"{source.name} ({la.name})"
    if Framework.objects.filter(owner_la=la, name=name).exists():
        raise QualityInvalid({"name": [FRAMEWORK_NAME_TAKEN.format(name=name)]})
    with transaction.atomic():
        copy = Framework.objects.create(
            name=name,
            description=source.description,
            owner_la=la,
            based_on=source,
            created_at=at,
            updated_at=at,
        )
        Standard.objects.bulk_create(
            Standard(
                framework=copy,
                area_number=s.area_number,
                area_title=s.area_title,
                code=s.code,
                text=s.text,
                order=s.order,
            )
            for s in selectors.list_standards(framework=source)
        )
        _audit(
            actor=actor,
            at=at,
            action=AuditAction.CREATED,
            instance=copy,
            channel=channel,
            where=where,
            changes={**_created(copy), "copied_from": {"old": None, "new": source.pk}},
        )
    return copy


def update_framework(
    *,
    actor: Any,
    at: dt.datetime,
    framework: Framework,
    name: str,
    description: str,
    expected_version: int,
    channel: Channel = Channel.WEB,
    where: str = "",
) -> Framework:
    _ensure_can_edit(actor, framework)
    name = name.strip()
    if not name:
        raise QualityInvalid({"name": [FRAMEWORK_NAME_NEEDED]})
    with transaction.atomic():
        locked = Framework.objects.select_for_update().get(pk=framework.pk)
        if locked.version != expected_version:
            raise ChangedElsewhere(FRAMEWORK_CHANGED)
        taken = Framework.objects.filter(owner_la_id=locked.owner_la_id, name=name).exclude(
            pk=locked.pk
        )
        if taken.exists():
            raise QualityInvalid({"name": [FRAMEWORK_NAME_TAKEN.format(name=name)]})
        before = audit.snapshot(locked)
        locked.name = name
        locked.description = description.strip()
        changes = audit.diff(before, audit.snapshot(locked))
        if changes:
            locked.updated_at = at
            locked.version += 1
            locked.save()
            _audit(
                actor=actor,
                at=at,
                action=AuditAction.UPDATED,
                instance=locked,
                channel=channel,
                where=where,
                changes=changes,
            )
    return locked


def _standard_fields(
    framework: Framework,
    *,
    area_number: int,
    area_title: str,
    code: str,
    text: str,
    exclude_id: int | None,
) -> dict[str, Any]:
    errors: dict[str | None, list[str]] = {}
    code = code.strip()
    match = CODE_PATTERN.match(code)
    if not match or int(match.group(1)) != area_number:
        errors["code"] = [CODE_FORMAT.format(area=area_number)]
    else:
        taken = framework.standards.filter(code=code, retired_at__isnull=True)
        if exclude_id is not None:
            taken = taken.exclude(pk=exclude_id)
        if taken.exists():
            errors["code"] = [CODE_TAKEN.format(code=code)]
    area_title = area_title.strip()
    existing_area = (
        framework.standards.filter(area_number=area_number, retired_at__isnull=True)
        .exclude(pk=exclude_id or 0)
        .values_list("area_title", flat=True)
        .first()
    )
    if not area_title:
        if existing_area is None:
            errors["area_title"] = [AREA_TITLE_NEEDED.format(area=area_number)]
        area_title = existing_area or ""
    if not text.strip():
        errors["text"] = [STANDARD_TEXT_NEEDED]
    if errors:
        raise QualityInvalid(errors)
    return {
        "area_number": area_number,
        "area_title": area_title,
        "code": code,
        "text": text.strip(),
    }


def _rename_area(framework: Framework, area_number: int, area_title: str) -> None:
    """An area has one title: a new title given for one standard renames the area."""
    framework.standards.filter(area_number=area_number, retired_at__isnull=True).exclude(
        area_title=area_title
    ).update(area_title=area_title, version=F("version") + 1)


def _touch(framework: Framework, at: dt.datetime) -> None:
    Framework.objects.filter(pk=framework.pk).update(updated_at=at)


def add_standard(
    *,
    actor: Any,
    at: dt.datetime,
    framework: Framework,
    area_number: int,
    area_title: str,
    code: str,
    text: str,
    channel: Channel = Channel.WEB,
    where: str = "",
) -> Standard:
    _ensure_can_edit(actor, framework)
    with transaction.atomic():
        Framework.objects.select_for_update().filter(pk=framework.pk).first()
        fields = _standard_fields(
            framework,
            area_number=area_number,
            area_title=area_title,
            code=code,
            text=text,
            exclude_id=None,
        )
        # Standards sort by area, then order: a new one goes last in its area.
        last = framework.standards.filter(area_number=area_number).aggregate(m=Max("order"))["m"]
        _rename_area(framework, area_number, fields["area_title"])
        standard = Standard.objects.create(framework=framework, order=(last or 0) + 10, **fields)
        _touch(framework, at)
        _audit(
            actor=actor,
            at=at,
            action=AuditAction.CREATED,
            instance=standard,
            channel=channel,
            where=where,
            changes=_created(standard),
        )
    return standard


def update_standard(
    *,
    actor: Any,
    at: dt.datetime,
    standard: Standard,
    area_number: int,
    area_title: str,
    code: str,
    text: str,
    expected_version: int,
    channel: Channel = Channel.WEB,
    where: str = "",
) -> Standard:
    """Change a standard's wording or place; refused if someone saved it since
    `expected_version` was loaded."""
    framework = standard.framework
    _ensure_can_edit(actor, framework)
    with transaction.atomic():
        Framework.objects.select_for_update().filter(pk=framework.pk).first()
        locked = lock_version(
            Standard, pk=standard.pk, expected_version=expected_version, error=ChangedElsewhere
        )
        fields = _standard_fields(
            framework,
            area_number=area_number,
            area_title=area_title,
            code=code,
            text=text,
            exclude_id=locked.pk,
        )
        before = audit.snapshot(locked)
        for key, value in fields.items():
            setattr(locked, key, value)
        changes = audit.diff(before, audit.snapshot(locked))
        if changes:
            locked.version += 1
            locked.save()
            _rename_area(framework, area_number, fields["area_title"])
            _touch(framework, at)
            _audit(
                actor=actor,
                at=at,
                action=AuditAction.UPDATED,
                instance=locked,
                channel=channel,
                where=where,
                changes=changes,
            )
    return locked


def remove_standard(
    *,
    actor: Any,
    at: dt.datetime,
    standard: Standard,
    channel: Channel = Channel.WEB,
    where: str = "",
) -> None:
    """Take a standard out of a framework. One already judged on a visit is retired rather than
    deleted, so the visit's record stays whole."""
    _ensure_can_edit(actor, standard.framework)
    with transaction.atomic():
        locked = Standard.objects.select_for_update().get(pk=standard.pk)
        before = audit.snapshot(locked)
        if locked.judgements.exists():
            locked.retired_at = at
            locked.save(update_fields=["retired_at"])
            _audit(
                actor=actor,
                at=at,
                action=AuditAction.UPDATED,
                instance=locked,
                channel=channel,
                where=where,
                changes={"retired_at": {"old": None, "new": at.isoformat()}},
            )
        else:
            _audit(
                actor=actor,
                at=at,
                action=AuditAction.DELETED,
                instance=locked,
                channel=channel,
                where=where,
                changes={k: {"old": v, "new": None} for k, v in before.items()},
            )
            locked.delete()
        _touch(standard.framework, at)


# --- visits --------------------------------------------------------------------------------


def _ensure_can_record(actor: Any) -> int:
    la_id = permissions.user_la_id(actor)
    if la_id is None or not permissions.can_record_qa(actor):
        raise NotAllowed("Only local authority staff record QA visits")
    return la_id


def start_visit(
    *,
    actor: Any,
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
    errors: dict[str | None, list[str]] = {}
    if not permissions.can_use_framework(actor, framework):
        errors["framework"] = [FRAMEWORK_NOT_USABLE]
    if not visitors.strip():
        errors["visitors"] = [VISITORS_NEEDED]
    if errors:
        raise QualityInvalid(errors)
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
        _audit(
            actor=actor,
            at=at,
            action=AuditAction.CREATED,
            instance=visit,
            channel=channel,
            where=where,
            changes=_created(visit, "created_at", "updated_at", "version"),
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


def _on_scale(value: Any) -> bool:
    return value in Grade.values


def record_visit(
    *,
    actor: Any,
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
            if not clean["visitors"]:
                errors["visitors"] = [VISITORS_NEEDED]
        overall = clean.get("overall_judgement")
        if overall is not None and not _on_scale(overall):
            errors["overall_judgement"] = [GRADE_OFF_SCALE]
        visit_date = clean.get("visit_date", locked.visit_date)
        revisit = clean.get("revisit_date")
        if revisit is not None and revisit <= visit_date:
            errors["revisit_date"] = [REVISIT_BEFORE_VISIT]
        standards = {s.pk: s for s in selectors.list_visit_standards(visit=locked)}
        existing = selectors.list_judgements(visit=locked)
        for standard_id, (grade, notes) in judgements.items():
            standard = standards.get(standard_id)
            if standard is None:
                errors.setdefault(None, []).append(STANDARD_NOT_IN_VISIT.format(code=standard_id))
            elif grade is None and notes.strip():
                standard_errors[standard_id] = [GRADE_NEEDED_FOR_NOTES.format(code=standard.code)]
            elif grade is not None and not _on_scale(grade):
                standard_errors[standard_id] = [GRADE_OFF_SCALE]
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
                    changes[f"standard {code}"] = {"old": list(old), "new": None}  # type: ignore[arg-type]
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
            _audit(
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
    actor: Any,
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
        unjudged = selectors.list_unjudged_standards(visit=locked)
        needs_overall = locked.overall_judgement is None
        if other or unjudged or needs_overall:
            raise VisitNotCompletable(unjudged=unjudged, needs_overall=needs_overall, other=other)
        locked.status = target
        locked.completed_by = actor
        locked.completed_at = at
        locked.updated_at = at
        locked.version += 1
        locked.save()
        _audit(
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
    actor: Any,
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
    errors: dict[str | None, list[str]] = {}
    if not text.strip():
        errors["text"] = [ACTION_TEXT_NEEDED]
    if not owner_name.strip():
        errors["owner_name"] = [ACTION_OWNER_NEEDED]
    if errors:
        raise QualityInvalid(errors)
    with transaction.atomic():
        action = VisitAction.objects.create(
            visit=visit,
            text=text.strip(),
            owner_name=owner_name.strip(),
            due_date=due_date,
            created_by=actor,
            created_at=at,
        )
        _audit(
            actor=actor,
            at=at,
            action=AuditAction.CREATED,
            instance=action,
            channel=channel,
            where=where,
            changes=_created(action),
        )
    return action


def set_action_status(
    *,
    actor: Any,
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
        _audit(
            actor=actor,
            at=at,
            action=AuditAction.UPDATED,
            instance=locked,
            channel=channel,
            where=where,
            changes={"status": {"old": source.value, "new": target.value}},
        )
    return locked
