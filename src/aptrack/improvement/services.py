"""Every write to an improvement plan. One door per change: each runs in one transaction,
checks its rules, writes, and leaves an audit entry; RAG moves and progress notes also leave
an ActionUpdate. Callers pass the actor and the clock, and have checked the actor may edit.
Each change of a plan, priority or action names the version its editor loaded, and is refused
with ImprovementChangedElsewhere if someone saved it since."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Max

from aptrack.audit import services as audit
from aptrack.audit.models import AuditAction, Channel
from aptrack.core.concurrency import RecordChangedElsewhere, lock_version
from aptrack.core.errors import DomainInvalid
from aptrack.improvement import measures, states
from aptrack.improvement.models import Action, ActionUpdate, ImprovementPlan, Priority
from aptrack.improvement.states import RagStatus
from aptrack.organisations.models import LocalAuthority
from aptrack.oversight.measures.catalogue import current_measure_keys

PERIOD_ENDS_BEFORE_START = "The end of the plan period must be after its start"
OWNER_NEEDED = "Give the action's owner: a name, or choose a person"
NOTE_NEEDED = "Write a note: what has happened, and why the status is what it is"
MOVE_NOT_ALLOWED = "An action cannot move from {source} to {target}"
UNKNOWN_MEASURE = "{key} is not a dashboard measure"


class ImprovementInvalid(DomainInvalid):
    """Input a plan or action cannot take; `errors` maps a field name (or None) to messages."""


class ImprovementChangedElsewhere(RecordChangedElsewhere):
    pass


def _audit(
    *, actor: Any, at: dt.datetime, action: AuditAction, instance: Any, changes: dict[str, Any]
) -> None:
    audit.record_event(
        actor=actor,
        at=at,
        action=action,
        channel=Channel.WEB,
        instance=instance,
        child_id=None,
        where="AP improvement plan",
        changes=changes,
    )


def _check_measures(keys: list[str]) -> list[str]:
    """The keys as the dashboard now names them (an old key is saved as its new one), each once."""
    current = current_measure_keys(keys)
    known = measures.known_keys()
    unknown = [key for key in current if key not in known]
    if unknown:
        raise ImprovementInvalid(
            {"measure_keys": [UNKNOWN_MEASURE.format(key=key) for key in unknown]}
        )
    return current


def _changes(instance: Any, data: dict[str, Any]) -> dict[str, Any]:
    return {
        key: {"from": str(getattr(instance, key)), "to": str(value)}
        for key, value in data.items()
        if getattr(instance, key) != value
    }


# --- plans ---------------------------------------------------------------------------------

PLAN_FIELDS = ("title", "board", "period_start", "period_end")


def _check_period(data: dict[str, Any]) -> None:
    if data["period_end"] < data["period_start"]:
        raise ImprovementInvalid({"period_end": [PERIOD_ENDS_BEFORE_START]})


def create_plan(
    *, la: LocalAuthority, data: dict[str, Any], actor: Any, at: dt.datetime
) -> ImprovementPlan:
    _check_period(data)
    with transaction.atomic():
        plan = ImprovementPlan.objects.create(
            local_authority=la,
            created_by=actor,
            created_at=at,
            updated_at=at,
            **{key: data[key] for key in PLAN_FIELDS},
        )
        _audit(
            actor=actor,
            at=at,
            action=AuditAction.CREATED,
            instance=plan,
            changes={"title": plan.title},
        )
    return plan


def update_plan(
    *,
    plan: ImprovementPlan,
    data: dict[str, Any],
    actor: Any,
    at: dt.datetime,
    expected_version: int,
) -> ImprovementPlan:
    _check_period(data)
    with transaction.atomic():
        locked = lock_version(
            ImprovementPlan,
            pk=plan.pk,
            expected_version=expected_version,
            error=ImprovementChangedElsewhere,
        )
        new = {key: data[key] for key in PLAN_FIELDS}
        changes = _changes(locked, new)
        for key, value in new.items():
            setattr(locked, key, value)
        locked.updated_at = at
        locked.version += 1
        locked.save()
        _audit(actor=actor, at=at, action=AuditAction.UPDATED, instance=locked, changes=changes)
    return locked


# --- priorities ----------------------------------------------------------------------------


def add_priority(
    *, plan: ImprovementPlan, data: dict[str, Any], actor: Any, at: dt.datetime
) -> Priority:
    keys = _check_measures(data.get("measure_keys", []))
    with transaction.atomic():
        ImprovementPlan.objects.select_for_update().get(pk=plan.pk)
        last = plan.priorities.aggregate(last=Max("position"))["last"] or 0
        priority = Priority.objects.create(
            plan=plan,
            position=last + 1,
            title=data["title"],
            description=data.get("description", ""),
            measure_keys=keys,
        )
        _audit(
            actor=actor,
            at=at,
            action=AuditAction.CREATED,
            instance=priority,
            changes={"title": priority.title, "measure_keys": keys},
        )
    return priority


def update_priority(
    *, priority: Priority, data: dict[str, Any], actor: Any, at: dt.datetime, expected_version: int
) -> Priority:
    new = {
        "title": data["title"],
        "description": data.get("description", ""),
        "measure_keys": _check_measures(data.get("measure_keys", [])),
    }
    with transaction.atomic():
        locked = lock_version(
            Priority,
            pk=priority.pk,
            expected_version=expected_version,
            error=ImprovementChangedElsewhere,
        )
        changes = _changes(locked, new)
        for key, value in new.items():
            setattr(locked, key, value)
        locked.version += 1
        locked.save()
        _audit(actor=actor, at=at, action=AuditAction.UPDATED, instance=locked, changes=changes)
    return locked


# --- actions -------------------------------------------------------------------------------

ACTION_FIELDS = ("title", "description", "owner_user", "owner_name", "owner_role", "due_date")


def _action_values(data: dict[str, Any]) -> dict[str, Any]:
    values = {key: data.get(key) or ("" if key != "owner_user" else None) for key in ACTION_FIELDS}
    values["due_date"] = data["due_date"]
    if not values["owner_name"] and values["owner_user"] is None:
        raise ImprovementInvalid({"owner_name": [OWNER_NEEDED]})
    values["measure_keys"] = _check_measures(data.get("measure_keys", []))
    return values


def add_action(*, priority: Priority, data: dict[str, Any], actor: Any, at: dt.datetime) -> Action:
    values = _action_values(data)
    with transaction.atomic():
        action = Action.objects.create(priority=priority, created_at=at, updated_at=at, **values)
        _audit(
            actor=actor,
            at=at,
            action=AuditAction.CREATED,
            instance=action,
            changes={"title": action.title, "due_date": action.due_date.isoformat()},
        )
    return action


def update_action(
    *, action: Action, data: dict[str, Any], actor: Any, at: dt.datetime, expected_version: int
) -> Action:
    """Change what the action is, who owns it and when it is due (not its status)."""
    values = _action_values(data)
    with transaction.atomic():
        locked = lock_version(
            Action,
            pk=action.pk,
            expected_version=expected_version,
            error=ImprovementChangedElsewhere,
        )
        changes = _changes(locked, values)
        for key, value in values.items():
            setattr(locked, key, value)
        locked.updated_at = at
        locked.version += 1
        locked.save()
        _audit(actor=actor, at=at, action=AuditAction.UPDATED, instance=locked, changes=changes)
    return locked


def record_update(
    *, action: Action, status: str, note: str, actor: Any, at: dt.datetime
) -> ActionUpdate:
    """A progress note, and with it a RAG move when `status` differs from the action's."""
    if not note.strip():
        raise ImprovementInvalid({"note": [NOTE_NEEDED]})
    with transaction.atomic():
        locked = Action.objects.select_for_update().get(pk=action.pk)
        source, target = RagStatus(locked.status), RagStatus(status)
        if source != target and not states.can_move(source, target):
            raise ImprovementInvalid(
                {"status": [MOVE_NOT_ALLOWED.format(source=source.label, target=target.label)]}
            )
        update = ActionUpdate.objects.create(
            action=locked, from_status=source, to_status=target, note=note.strip(), by=actor, at=at
        )
        changes: dict[str, Any] = {"note": update.note}
        if source != target:
            locked.status = target
            locked.updated_at = at
            locked.version += 1
            locked.save(update_fields=["status", "updated_at", "version"])
            changes["status"] = {"from": source.value, "to": target.value}
        _audit(actor=actor, at=at, action=AuditAction.UPDATED, instance=locked, changes=changes)
    return update
