"""Status moves before a placement runs its course: start it (PLANNED → ACTIVE) or cancel
it (PLANNED → CANCELLED). The transitions table (`states.ALLOWED_TRANSITIONS`) decides."""

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction

from aptrack.audit.models import AuditAction, Channel
from aptrack.placements.models import Placement
from aptrack.placements.services.agreements import keep_agreement
from aptrack.placements.services.common import (
    clean_text,
    guard_move,
    local_date,
    lock_placement,
    record_audit,
    record_event,
)
from aptrack.placements.services.errors import PlacementInvalid
from aptrack.placements.services.messages import NOT_STARTED_YET
from aptrack.placements.states import EventKind, PlacementStatus

if TYPE_CHECKING:
    from aptrack.accounts.models import User


def activate_placement(
    *,
    actor: "User",
    at: dt.datetime,
    placement: Placement,
    expected_version: int | None = None,
    channel: Channel = Channel.WEB,
    where: str = "",
) -> Placement:
    """PLANNED → ACTIVE, on or after the start date."""
    with transaction.atomic():
        locked = lock_placement(placement, expected_version)
        source = guard_move(locked, PlacementStatus.ACTIVE, "started")
        if local_date(at) < locked.start_date:
            start = locked.start_date
            raise PlacementInvalid(
                {None: [NOT_STARTED_YET.format(start=f"{start.day} {start:%B %Y}")]}
            )
        locked.status = PlacementStatus.ACTIVE
        locked.version += 1
        locked.save(update_fields=["status", "version"])
        record_event(
            locked,
            kind=EventKind.ACTIVATED,
            by=actor,
            at=at,
            from_status=source,
            to_status=locked.status,
        )
        record_audit(
            actor=actor,
            at=at,
            action=AuditAction.UPDATED,
            instance=locked,
            child_id=locked.child_id,
            channel=channel,
            where=where,
            changes={"status": {"old": source, "new": locked.status}},
        )
        keep_agreement(placement=locked, by=actor, at=at)
    return locked


def cancel_placement(
    *,
    actor: "User",
    at: dt.datetime,
    placement: Placement,
    reason: str,
    expected_version: int | None = None,
    channel: Channel = Channel.WEB,
    where: str = "",
) -> Placement:
    """PLANNED → CANCELLED: the placement never started."""
    with transaction.atomic():
        locked = lock_placement(placement, expected_version)
        source = guard_move(locked, PlacementStatus.CANCELLED, "cancelled")
        reason = clean_text(reason)
        locked.status = PlacementStatus.CANCELLED
        locked.version += 1
        locked.save(update_fields=["status", "version"])
        record_event(
            locked,
            kind=EventKind.CANCELLED,
            by=actor,
            at=at,
            from_status=source,
            to_status=locked.status,
            data={"reason": reason},
        )
        record_audit(
            actor=actor,
            at=at,
            action=AuditAction.UPDATED,
            instance=locked,
            child_id=locked.child_id,
            channel=channel,
            where=where,
            changes={"status": {"old": source, "new": locked.status}},
        )
    return locked
