"""What quality services share: the audit entry every write leaves (with no child: QA
records are about providers)."""

import datetime as dt
from typing import Any

from aptrack.accounts.models import User
from aptrack.audit import services as audit
from aptrack.audit.models import AuditAction, Channel


def record_audit(
    *,
    actor: User,
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


def created_changes(instance: Any, *skip: str) -> dict[str, Any]:
    ignored = {"id", *skip}
    return {
        k: {"old": None, "new": v} for k, v in audit.snapshot(instance).items() if k not in ignored
    }
