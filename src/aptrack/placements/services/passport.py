"""The child's Person Passport: a one-page profile kept with the placement."""

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import transaction

from aptrack.audit import services as audit
from aptrack.audit.models import AuditAction, Channel
from aptrack.placements.models import PersonPassport, Placement
from aptrack.placements.services.common import (
    clean_text,
    ensure_plan_open,
    lock_placement,
    record_audit,
    record_event,
)
from aptrack.placements.services.errors import PlacementInvalid
from aptrack.placements.services.messages import PASSPORT_EMPTY
from aptrack.placements.states import EventKind

if TYPE_CHECKING:
    from aptrack.accounts.models import User

PASSPORT_FIELDS = ("about_me", "needs", "what_helps", "what_to_avoid", "contacts")


def update_passport(
    *,
    actor: "User",
    at: dt.datetime,
    placement: Placement,
    data: dict[str, Any],
    expected_version: int | None = None,
    channel: Channel = Channel.WEB,
    where: str = "",
) -> PersonPassport:
    """Write the child's one-page profile (made on first save)."""
    with transaction.atomic():
        locked = lock_placement(placement, expected_version)
        ensure_plan_open(locked)
        clean = {key: clean_text(data.get(key)) for key in PASSPORT_FIELDS}
        if not any(clean.values()):
            raise PlacementInvalid({None: [PASSPORT_EMPTY]})
        passport = PersonPassport.objects.select_for_update().filter(placement=locked).first()
        before = audit.snapshot(passport) if passport else {}
        if passport is None:
            passport = PersonPassport(placement=locked)
        for key, value in clean.items():
            setattr(passport, key, value)
        changes = (
            audit.diff(before, audit.snapshot(passport))
            if before
            else {k: {"old": None, "new": v} for k, v in clean.items()}
        )
        changes.pop("updated_at", None)
        if before and not changes:
            return passport
        passport.updated_at = at
        passport.save()
        locked.version += 1
        locked.save(update_fields=["version"])
        record_event(
            locked,
            kind=EventKind.PASSPORT_UPDATED,
            by=actor,
            at=at,
            data={"fields": sorted(changes)},
        )
        record_audit(
            actor=actor,
            at=at,
            action=AuditAction.UPDATED if before else AuditAction.CREATED,
            instance=passport,
            child_id=locked.child_id,
            channel=channel,
            where=where,
            changes=changes,
        )
    return passport
