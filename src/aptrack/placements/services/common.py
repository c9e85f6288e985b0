"""What every placement service shares: the row lock with its version check, the event and
audit rows each change leaves, the status-move guard, and small input helpers."""

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from aptrack.accounts.roles import Role
from aptrack.audit import services as audit
from aptrack.audit.models import AuditAction, Channel
from aptrack.calendars.selectors import get_calendar
from aptrack.placements.models import Placement, PlacementEvent
from aptrack.placements.services.errors import (
    Errors,
    PlacementChangedElsewhere,
    PlacementMoveNotAllowed,
)
from aptrack.placements.services.messages import (
    HOLIDAY_NOT_SCHOOL_DAY,
    MOVE_NOT_ALLOWED,
    PLAN_CLOSED,
    RECORD_CHANGED,
    WEEKEND_NOT_SCHOOL_DAY,
)
from aptrack.placements.states import ALLOWED_TRANSITIONS, OPEN_STATUSES, EventKind, PlacementStatus
from aptrack.providers.models import Provider

if TYPE_CHECKING:
    from aptrack.accounts.models import User


def school_day_error(day: dt.date, *, la_id: int | None) -> str | None:
    """Why `day` cannot be a placement's end date on the LA's calendar: a weekend, or a holiday
    or closure within the known terms (beyond them only weekends are known)."""
    if day.weekday() >= 5:
        return WEEKEND_NOT_SCHOOL_DAY.format(date=f"{day.day} {day:%B %Y}", weekday=f"{day:%A}")
    calendar = get_calendar(la_id=la_id)
    last = calendar.last_known_day
    if last is not None and day <= last and not calendar.is_school_day(day):
        return HOLIDAY_NOT_SCHOOL_DAY.format(date=f"{day.day} {day:%B %Y}")
    return None


def local_date(at: dt.datetime) -> dt.date:
    return timezone.localtime(at).date() if timezone.is_aware(at) else at.date()


def add_error(errors: Errors, field: str | None, message: str) -> None:
    errors.setdefault(field, []).append(message)


def clean_text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def to_decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def is_manager(actor: "User") -> bool:
    return getattr(actor, "role", None) == Role.LA_MANAGER


def to_json(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def lock_placement(placement: Placement, expected_version: int | None = None) -> Placement:
    locked = Placement.objects.select_for_update().get(pk=placement.pk)
    if expected_version is not None and locked.version != expected_version:
        raise PlacementChangedElsewhere(RECORD_CHANGED)
    return locked


def record_event(
    placement: Placement,
    *,
    kind: EventKind,
    by: "User",
    at: dt.datetime,
    from_status: str = "",
    to_status: str = "",
    data: dict[str, Any] | None = None,
) -> PlacementEvent:
    return PlacementEvent.objects.create(
        placement=placement,
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        by=by if getattr(by, "pk", None) else None,
        at=at,
        data={key: to_json(value) for key, value in (data or {}).items()},
    )


def record_audit(
    *,
    actor: "User",
    at: dt.datetime,
    action: AuditAction,
    instance: Any,
    child_id: int,
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
        child_id=child_id,
        where=where,
        changes=changes,
    )


def provider_of(placement: Placement) -> Provider | None:
    return Provider.objects.filter(organisation_id=placement.provider_id).first()


def guard_move(placement: Placement, target: PlacementStatus, verb: str) -> PlacementStatus:
    """Guard for every status move: the transitions table decides."""
    source = PlacementStatus(placement.status)
    if target not in ALLOWED_TRANSITIONS[source]:
        raise PlacementMoveNotAllowed(
            MOVE_NOT_ALLOWED.format(source=source.label.lower(), verb=verb)
        )
    return source


def ensure_plan_open(placement: Placement) -> None:
    if placement.status not in OPEN_STATUSES:
        label = PlacementStatus(placement.status).label.lower()
        raise PlacementMoveNotAllowed(PLAN_CLOSED.format(status=label))
