"""Ending a placement (ACTIVE → ENDED) with its reason, destination and transition plan;
books the follow-up checks."""

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction

from aptrack.audit.models import AuditAction, Channel
from aptrack.placements.models import FollowUp, Placement
from aptrack.placements.services.common import (
    add_error,
    clean_text,
    guard_move,
    local_date,
    lock_placement,
    record_audit,
    record_event,
    school_day_error,
)
from aptrack.placements.services.errors import Errors, PlacementInvalid
from aptrack.placements.services.messages import (
    END_DATE_BEFORE_START,
    END_DATE_IN_FUTURE,
    TRANSITION_PLAN_NEEDED,
)
from aptrack.placements.states import EventKind, PlacementStatus

if TYPE_CHECKING:
    from aptrack.accounts.models import User

FOLLOW_UP_WEEKS = (6, 12)


def end_placement(
    *,
    actor: "User",
    at: dt.datetime,
    placement: Placement,
    end_date: dt.date,
    reason: str,
    destination: str,
    transition_plan: str,
    expected_version: int | None = None,
    channel: Channel = Channel.WEB,
    where: str = "",
) -> Placement:
    """ACTIVE → ENDED with the reason, the destination and a transition plan; books the
    follow-up checks 6 and 12 weeks after the end date."""
    with transaction.atomic():
        locked = lock_placement(placement, expected_version)
        source = guard_move(locked, PlacementStatus.ENDED, "ended")
        errors: Errors = {}
        if end_date < locked.start_date:
            start = locked.start_date
            add_error(
                errors, "end_date", END_DATE_BEFORE_START.format(start=f"{start.day} {start:%B %Y}")
            )
        elif end_date > local_date(at):
            add_error(errors, "end_date", END_DATE_IN_FUTURE)
        elif not_school_day := school_day_error(end_date, la_id=locked.commissioning_la_id):
            add_error(errors, "end_date", not_school_day)
        if not clean_text(transition_plan):
            add_error(errors, "transition_plan", TRANSITION_PLAN_NEEDED)
        if errors:
            raise PlacementInvalid(errors)
        locked.status = PlacementStatus.ENDED
        locked.end_date = end_date
        locked.end_reason = reason
        locked.destination = destination
        locked.transition_plan = clean_text(transition_plan)
        locked.version += 1
        locked.save()
        for weeks in FOLLOW_UP_WEEKS:
            FollowUp.objects.create(
                placement=locked, weeks_after=weeks, due_date=end_date + dt.timedelta(weeks=weeks)
            )
        record_event(
            locked,
            kind=EventKind.ENDED,
            by=actor,
            at=at,
            from_status=source,
            to_status=locked.status,
            data={"end_date": end_date, "reason": reason, "destination": destination},
        )
        record_audit(
            actor=actor,
            at=at,
            action=AuditAction.UPDATED,
            instance=locked,
            child_id=locked.child_id,
            channel=channel,
            where=where,
            changes={
                "status": {"old": source, "new": locked.status},
                "end_date": {"old": None, "new": end_date.isoformat()},
                "end_reason": {"old": "", "new": reason},
                "destination": {"old": "", "new": destination},
            },
        )
    return locked
