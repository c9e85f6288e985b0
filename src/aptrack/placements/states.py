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
