"""A placement's states and the moves between them. Every move leaves a PlacementEvent."""

from django.db import models


class PlacementStatus(models.TextChoices):
    PLANNED = "PLANNED", "Planned"
    ACTIVE = "ACTIVE", "Active"
    ENDED = "ENDED", "Ended"
    CANCELLED = "CANCELLED", "Cancelled"


S = PlacementStatus
ALLOWED_TRANSITIONS: dict[PlacementStatus, frozenset[PlacementStatus]] = {
    S.PLANNED: frozenset({S.ACTIVE, S.CANCELLED}),
    S.ACTIVE: frozenset({S.ENDED}),
    S.ENDED: frozenset(),
    S.CANCELLED: frozenset(),
}


def can_move(source: PlacementStatus, target: PlacementStatus) -> bool:
    return target in ALLOWED_TRANSITIONS[source]


# Statuses a placement counts towards the child's week in, and is worked on in.
OPEN_STATUSES = frozenset({S.PLANNED, S.ACTIVE})


class EventKind(models.TextChoices):
    """What a PlacementEvent records. Status moves carry from_status and to_status too."""

    CREATED = "CREATED", "Placement planned"
    ACTIVATED = "ACTIVATED", "Placement started"
    CANCELLED = "CANCELLED", "Placement cancelled"
    ENDED = "ENDED", "Placement ended"
    PLAN_CHANGED = "PLAN_CHANGED", "Plan changed"
    OPEN_ENDED_APPROVED = "OPEN_ENDED_APPROVED", "Open-ended placement approved"
    COMPLIANCE_OVERRIDDEN = "COMPLIANCE_OVERRIDDEN", "Provider compliance overridden"
    OUTCOME_ADDED = "OUTCOME_ADDED", "Intended outcome added"
    OUTCOME_CHANGED = "OUTCOME_CHANGED", "Intended outcome changed"
    PASSPORT_UPDATED = "PASSPORT_UPDATED", "Person Passport updated"
    REVIEW_RECORDED = "REVIEW_RECORDED", "Review recorded"
    EXTENDED = "EXTENDED", "Placement extended"
    TIER_CHANGED = "TIER_CHANGED", "Tier changed"
    FOLLOW_UP_RECORDED = "FOLLOW_UP_RECORDED", "Follow-up recorded"
