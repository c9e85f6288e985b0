"""One door into the audit trail. Callers pass the actor, the clock and the channel."""

import datetime as dt
from typing import Any

from django.db import models

from aptrack.audit.models import AuditAction, AuditEvent, Channel


def snapshot(instance: models.Model) -> dict[str, Any]:
    """A JSON-safe copy of an instance's concrete field values, for before/after diffs."""
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        value = field.value_from_object(instance)
        if isinstance(value, dt.date | dt.datetime):
            value = value.isoformat()
        elif value is not None and not isinstance(value, bool | int | float | str):
            value = str(value)
        data[field.attname] = value
    return data


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    ignored = {"updated_at", "version"}
    return {
        key: {"old": before.get(key), "new": value}
        for key, value in after.items()
        if key not in ignored and before.get(key) != value
    }


def _actor_label(actor: Any) -> str:
    if actor is None:
        return "system"
    return f"{actor.get_username()} ({getattr(actor, 'role', '') or 'no role'})"


def record_event(
    *,
    actor: Any,
    at: dt.datetime,
    action: AuditAction,
    channel: Channel,
    instance: models.Model,
    child_id: int | None,
    where: str = "",
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        at=at,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=_actor_label(actor),
        action=action,
        channel=channel,
        object_type=instance._meta.label,
        object_id=str(instance.pk),
        object_label=str(instance)[:200],
        child_id=child_id,
        where=where[:300],
        changes=changes or {},
    )


def record_view(*, actor: Any, at: dt.datetime, channel: Channel, child: Any, where: str) -> AuditEvent:
    return record_event(
        actor=actor,
        at=at,
        action=AuditAction.VIEWED,
        channel=channel,
        instance=child,
        child_id=child.pk,
        where=where,
    )
