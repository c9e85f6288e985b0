"""Clocks for report tests. The world's child_a is placed with provider X (Dorset commissions)
from Monday 7 September 2026. Autumn 1 2026 on the standard pattern runs 2 September to
23 October, so its report is due on 2 November and overdue from 3 November."""

import datetime as dt

import pytest

from aptrack.placements.models import IntendedOutcome, Placement

AUTUMN_1 = dt.date(2026, 9, 2)
AT = dt.datetime(2026, 11, 5, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def placement(world) -> Placement:
    return Placement.objects.select_related("child", "provider").get(child=world.child_a)


@pytest.fixture
def outcome(placement) -> IntendedOutcome:
    return IntendedOutcome.objects.create(
        placement=placement,
        description="Attends every morning",
        measure="Morning sessions attended",
        baseline="40%",
        target="90%",
    )
