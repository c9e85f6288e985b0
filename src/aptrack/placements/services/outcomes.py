"""A placement's intended outcomes: measurable, each with a measure, baseline and target."""

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import transaction

from aptrack.audit import services as audit
from aptrack.audit.models import AuditAction, Channel
from aptrack.placements.models import IntendedOutcome, Placement
from aptrack.placements.services.common import (
    add_error,
    clean_text,
    ensure_plan_open,
    lock_placement,
    record_audit,
    record_event,
)
from aptrack.placements.services.errors import Errors, PlacementInvalid
from aptrack.placements.services.messages import OUTCOME_FIELD_NEEDED
from aptrack.placements.states import EventKind

if TYPE_CHECKING:
    from aptrack.accounts.models import User

OUTCOME_FIELD_LIMITS = {"description": 300, "measure": 200, "baseline": 100, "target": 100}


def validated_outcome(data: dict[str, Any], errors: Errors, prefix: str = "") -> dict[str, str]:
    clean: dict[str, str] = {}
    for key, message in OUTCOME_FIELD_NEEDED.items():
        value = clean_text(data.get(key))
        if not value:
            add_error(errors, prefix + key, message)
        elif len(value) > OUTCOME_FIELD_LIMITS[key]:
            add_error(
                errors,
                prefix + key,
                f"{message} in {OUTCOME_FIELD_LIMITS[key]} characters or fewer",
            )
        clean[key] = value
    return clean


def add_outcome(
    *,
    actor: "User",
    at: dt.datetime,
    placement: Placement,
    data: dict[str, Any],
    expected_version: int | None = None,
    channel: Channel = Channel.WEB,
    where: str = "",
) -> IntendedOutcome:
    """Add a measurable intended outcome: description, measure, baseline and target."""
    with transaction.atomic():
        locked = lock_placement(placement, expected_version)
        ensure_plan_open(locked)
        errors: Errors = {}
        clean = validated_outcome(data, errors)
        if errors:
            raise PlacementInvalid(errors)
        position = locked.outcomes.count()
        outcome = IntendedOutcome.objects.create(placement=locked, position=position, **clean)
        locked.version += 1
        locked.save(update_fields=["version"])
        record_event(
            locked,
            kind=EventKind.OUTCOME_ADDED,
            by=actor,
            at=at,
            data={"outcome_id": outcome.pk, **clean},
        )
        record_audit(
            actor=actor,
            at=at,
            action=AuditAction.CREATED,
            instance=outcome,
            child_id=locked.child_id,
            channel=channel,
            where=where,
            changes={k: {"old": None, "new": v} for k, v in clean.items()},
        )
    return outcome


def change_outcome(
    *,
    actor: "User",
    at: dt.datetime,
    outcome: IntendedOutcome,
    data: dict[str, Any],
    expected_version: int,
    channel: Channel = Channel.WEB,
    where: str = "",
) -> IntendedOutcome:
    with transaction.atomic():
        locked = lock_placement(outcome.placement, expected_version)
        ensure_plan_open(locked)
        errors: Errors = {}
        clean = validated_outcome(data, errors)
        if errors:
            raise PlacementInvalid(errors)
        row = IntendedOutcome.objects.select_for_update().get(pk=outcome.pk, placement=locked)
        before = audit.snapshot(row)
        for key, value in clean.items():
            setattr(row, key, value)
        changes = audit.diff(before, audit.snapshot(row))
        if not changes:
            return row
        row.save()
        locked.version += 1
        locked.save(update_fields=["version"])
        record_event(
            locked,
            kind=EventKind.OUTCOME_CHANGED,
            by=actor,
            at=at,
            data={"outcome_id": row.pk, "changes": changes},
        )
        record_audit(
            actor=actor,
            at=at,
            action=AuditAction.UPDATED,
            instance=row,
            child_id=locked.child_id,
            channel=channel,
            where=where,
            changes=changes,
        )
    return row
