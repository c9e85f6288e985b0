from types import SimpleNamespace

import pytest

from aptrack.audit.display import actor_display, change_lines, trail_change_lines
from aptrack.organisations.tests.factories import la


def test_role_codes_read_as_role_names():
    assert actor_display("officer (LA_OFFICER)") == "officer (LA AP officer)"
    assert actor_display("system") == "system"


def test_every_shape_of_change_reads_as_a_line():
    assert change_lines({"status": {"old": "ACTIVE", "new": "ENDED"}}) == ["Status: ACTIVE → ENDED"]
    assert change_lines({"grade": "4", "sustained": True}) == ["Grade: 4", "Sustained: Yes"]
    assert change_lines({"end_date": {"old": None, "new": "2026-12-01"}}) == [
        "End date: – → 2026-12-01"
    ]
    assert change_lines({}) == []


def _event(pk, object_type, changes):
    return SimpleNamespace(pk=pk, object_type=object_type, changes=changes)


@pytest.mark.django_db
def test_codes_read_as_their_labels_and_foreign_keys_as_names_in_one_query_per_kind(
    django_assert_num_queries,
):
    dorset, poole = la("838"), la("839")
    events = [
        _event(
            1,
            "placements.Placement",
            {
                "status": {"old": "ACTIVE", "new": "ENDED"},
                "end_reason": {"old": "", "new": "BREAKDOWN"},
                "commissioning_la_id": {"old": dorset.pk, "new": poole.pk},
            },
        ),
        _event(2, "placements.Placement", {"commissioning_la_id": dorset.pk, "child_id": 7}),
        _event(3, "accounts.User", {"role": {"old": "LA_OFFICER", "new": "LA_MANAGER"}}),
    ]
    with django_assert_num_queries(
        1
    ):  # the local authorities, once for every row; a child has no name to look up
        lines = trail_change_lines(events)
    assert lines[1] == [
        "Status: Active → Ended",
        "End reason: – → Placement broke down",
        f"Commissioning la: {dorset.name} → {poole.name}",
    ]
    assert lines[2] == [f"Commissioning la: {dorset.name}", "Child: (record 7)"]
    assert lines[3] == ["Role: LA AP officer → LA manager"]


@pytest.mark.django_db
def test_a_deleted_or_unknown_record_still_reads_safely():
    lines = trail_change_lines(
        [
            _event(
                1,
                "placements.Placement",
                {"commissioning_la_id": {"old": 999999, "new": "not-an-id"}},
            ),
            _event(2, "nosuch.Model", {"status": "PERSISTENT_ABSENCE"}),
        ]
    )
    assert lines[1] == ["Commissioning la: (record 999999) → (record not-an-id)"]
    assert lines[2] == ["Status: PERSISTENT_ABSENCE"]
