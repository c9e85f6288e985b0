"""Stored measure keys the dashboard has since renamed read as the new key."""

from aptrack.oversight.measures.catalogue import (
    RENAMED_MEASURES,
    current_measure_keys,
    measure_catalogue,
)


def test_each_renamed_key_reads_as_a_key_the_dashboard_has():
    known = {key for key, _ in measure_catalogue()}
    assert RENAMED_MEASURES == {"overdue_placements": "drift"}
    assert set(RENAMED_MEASURES.values()) <= known
    assert not set(RENAMED_MEASURES) & known


def test_old_keys_read_as_new_in_order_each_once():
    assert current_measure_keys(["attendance_rate", "overdue_placements", "drift"]) == [
        "attendance_rate",
        "drift",
    ]
    assert current_measure_keys([]) == []
