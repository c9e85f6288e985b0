"""Rebuilding weekly rollups from marks gives what `record_marks` keeps up to date itself."""

import pytest

from aptrack.attendance.codes import ROLLUP_COLUMN_NAMES
from aptrack.attendance.loading import MarkRow
from aptrack.attendance.models import PlacementWeek
from aptrack.attendance.rollups import rebuild_weekly_rollups
from aptrack.attendance.tests.conftest import record_rows
from aptrack.children.tests.factories import ChildFactory, PlacementFactory

COLUMNS = [
    "placement_id",
    "week_start_date",
    "child_id",
    "local_authority_id",
    "provider_id",
    *ROLLUP_COLUMN_NAMES,
]
# Two weeks: Thursday 19 to Tuesday 24 November 2026, every class of code.
MARKS = [
    ("2026-11-19", "AM", "/"), ("2026-11-19", "PM", "\\"), ("2026-11-20", "AM", "L"),
    ("2026-11-20", "PM", "B"), ("2026-11-23", "AM", "C2"), ("2026-11-23", "PM", "Q"),
    ("2026-11-24", "AM", "N"), ("2026-11-24", "PM", "#"),
]  # fmt: skip


def _rollups() -> list[tuple]:
    return list(
        PlacementWeek.objects.order_by("placement_id", "week_start_date").values_list(*COLUMNS)
    )


@pytest.mark.django_db
def test_rebuilt_rollups_match_the_ones_recording_kept(world):
    upn = world.child_a.upn
    record_rows(world, *(MarkRow(upn=upn, date=d, session=s, code=c) for d, s, c in MARKS))
    kept = _rollups()
    assert [row[1].isoformat() for row in kept] == ["2026-11-16", "2026-11-23"]
    placement_id = kept[0][0]
    PlacementWeek.objects.all().delete()

    assert rebuild_weekly_rollups(placement_ids=[placement_id]) == 2

    assert _rollups() == kept


@pytest.mark.django_db
def test_rebuilding_replaces_stale_rollups_and_leaves_other_placements_alone(world):
    record_rows(world, MarkRow(upn=world.child_a.upn, date="2026-11-23", session="AM", code="I"))
    record_rows(
        world,
        MarkRow(upn=world.child_b.upn, date="2026-11-23", session="AM", code="O"),
        user=world.provider_z,
    )
    kept = _rollups()
    PlacementWeek.objects.update(authorised=9, unauthorised=9)
    a_placement = world.child_a.placements.get().pk

    rebuild_weekly_rollups(placement_ids=[a_placement, a_placement])

    rows = {row[0]: row for row in _rollups()}
    assert rows[a_placement] == next(row for row in kept if row[0] == a_placement)
    other = next(row for placement_id, row in rows.items() if placement_id != a_placement)
    assert other[COLUMNS.index("unauthorised")] == 9  # not asked for: untouched


@pytest.mark.django_db
def test_no_placements_rebuilds_nothing():
    assert rebuild_weekly_rollups(placement_ids=[]) == 0


@pytest.mark.django_db
def test_a_week_counts_in_the_la_answering_for_the_placement(world):
    """A school's commission counts in the LA the child lives in; another LA's commission in
    that LA (`placements.rules.answering_la`), whether recorded or rebuilt."""
    provider = world.provider_x.organisation
    by_school = PlacementFactory(
        child=world.child_a2,
        provider=provider,
        commissioning_la=None,
        commissioning_school=world.school_y.organisation,
    )
    by_hackney = PlacementFactory(
        child=ChildFactory(home_la=world.child_a.home_la),
        provider=provider,
        commissioning_la=world.child_b.home_la,
    )
    record_rows(
        world,
        *(
            MarkRow(upn=p.child.upn, date="2026-11-23", session="AM", code="/")
            for p in (by_school, by_hackney)
        ),
    )
    expected = {by_school.pk: world.child_a2.home_la_id, by_hackney.pk: world.child_b.home_la_id}
    las = PlacementWeek.objects.filter(placement_id__in=expected).values_list(
        "placement_id", "local_authority_id"
    )
    assert dict(las) == expected

    PlacementWeek.objects.filter(placement_id__in=expected).delete()
    assert rebuild_weekly_rollups(placement_ids=list(expected)) == 2
    assert dict(las) == expected
