"""The 6- and 12-week checks after a placement ended: is the child still attending, has the
destination been sustained?"""

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import transaction

from aptrack.audit.models import AuditAction, Channel
from aptrack.placements.models import FollowUp
from aptrack.placements.services.common import (
    add_error,
    clean_text,
    local_date,
    record_audit,
    record_event,
    to_json,
)
from aptrack.placements.services.errors import Errors, PlacementInvalid
from aptrack.placements.services.messages import (
    FOLLOW_UP_DATE_BEFORE_END,
    FOLLOW_UP_DATE_IN_FUTURE,
    FOLLOW_UP_DONE,
    FOLLOW_UP_TOO_EARLY,
)
from aptrack.placements.states import EventKind

if TYPE_CHECKING:
    from aptrack.accounts.models import User


def record_follow_up(
    *,
    actor: "User",
    at: dt.datetime,
    follow_up: FollowUp,
    data: dict[str, Any],
    channel: Channel = Channel.WEB,
    where: str = "",
) -> FollowUp:
    """Record a 6- or 12-week check after the placement ended: still attending, destination
    sustained?"""
    with transaction.atomic():
        locked = (
            FollowUp.objects.select_for_update().select_related("placement").get(pk=follow_up.pk)
        )
        placement = locked.placement
        errors: Errors = {}
        if locked.done_date is not None:
            raise PlacementInvalid({None: [FOLLOW_UP_DONE]})
        done = data["done_date"]
        if placement.end_date is not None and done < placement.end_date:
            end = placement.end_date
            add_error(
                errors, "done_date", FOLLOW_UP_DATE_BEFORE_END.format(end=f"{end.day} {end:%B %Y}")
            )
        elif done > local_date(at):
            add_error(errors, "done_date", FOLLOW_UP_DATE_IN_FUTURE)
        elif done < locked.due_date:
            due = locked.due_date
            add_error(
                errors,
                "done_date",
                FOLLOW_UP_TOO_EARLY.format(weeks=locked.weeks_after, due=f"{due.day} {due:%B %Y}"),
            )
        if errors:
            raise PlacementInvalid(errors)
        locked.done_date = done
        locked.still_attending = bool(data["still_attending"])
        locked.destination_sustained = bool(data["destination_sustained"])
        locked.note = clean_text(data.get("note"))
        locked.save()
        record_event(
            placement,
            kind=EventKind.FOLLOW_UP_RECORDED,
            by=actor,
            at=at,
            data={
                "weeks_after": locked.weeks_after,
                "done_date": done,
                "still_attending": locked.still_attending,
                "destination_sustained": locked.destination_sustained,
            },
        )
        record_audit(
            actor=actor,
            at=at,
            action=AuditAction.UPDATED,
            instance=locked,
            child_id=placement.child_id,
            channel=channel,
            where=where,
            changes={
                "done_date": {"old": None, "new": to_json(done)},
                "still_attending": {"old": None, "new": locked.still_attending},
                "destination_sustained": {"old": None, "new": locked.destination_sustained},
            },
        )
    return locked
