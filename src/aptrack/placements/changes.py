"""Which LAs' figures a change to a placement, or to anything recorded against one, touches
(registered with `core.changes` in this app's ``ready``): the LA that commissions the placement
and the LA the child lives in (whose figures count placements schools commission for them)."""

from collections.abc import Iterable
from typing import Any

from aptrack.children.models import Child
from aptrack.placements.models import IntendedOutcome, Placement


def placement_las(placement_ids: Iterable[int | None]) -> set[int | None]:
    """The LAs whose figures count these placements."""
    found: set[int | None] = set()
    for commissioning, home in Placement.objects.filter(
        pk__in=[pk for pk in placement_ids if pk is not None]
    ).values_list("commissioning_la_id", "child__home_la_id"):
        found |= {commissioning, home}
    return found


def placement_touches(placement: Placement) -> set[int | None]:
    home = Child.objects.filter(pk=placement.child_id).values_list("home_la_id", flat=True).first()
    return {placement.commissioning_la_id, home}


def recorded_against_placement(instance: Any) -> set[int | None]:
    """For a row with a ``placement_id`` (a review, an intended outcome, a mark, a grade)."""
    return placement_las([instance.placement_id])


def progress_touches(progress: Any) -> set[int | None]:
    return placement_las(
        IntendedOutcome.objects.filter(pk=progress.outcome_id).values_list(
            "placement_id", flat=True
        )
    )
