"""Consecutive absent sessions, and a child falling into persistent (>= 10%) or severe
(>= 50%) absence over the academic year: each raised once."""

import datetime as dt

import pytest

from aptrack.alerts.models import Alert
from aptrack.alerts.states import AlertKind
from aptrack.alerts.tests.conftest import FRIDAY, MONDAY, THURSDAY, check, marks

pytestmark = pytest.mark.django_db

C = AlertKind.CONSECUTIVE_ABSENCE
PERSISTENT, SEVERE = AlertKind.PERSISTENT_ABSENCE, AlertKind.SEVERE_ABSENCE
TUESDAY = dt.date(2026, 11, 24)


def fortnight(absent: int, code: str = "I") -> dict[tuple[dt.date, str], str]:
    """Monday 9 to Friday 20 November 2026 (20 sessions), the last `absent` sessions absent."""
    sessions = []
    for offset in range(12):
        day = dt.date(2026, 11, 9) + dt.timedelta(days=offset)
        if day.weekday() < 5:
            sessions += [(day, "AM"), (day, "PM")]
    return {
        key: (code if index >= len(sessions) - absent else "/")
        for index, key in enumerate(sessions)
    }


def test_four_absent_sessions_in_a_row_raise_one_alert(world):
    marks(
        world,
        world.child_a,
        {
            (THURSDAY, "AM"): "N",
            (THURSDAY, "PM"): "I",
            (FRIDAY, "AM"): "O",
            (FRIDAY, "PM"): "I",
        },
    )
    report = check(FRIDAY, "14:00")
    alert = Alert.objects.get(child=world.child_a, kind=C)
    assert report.raised[C] == 1
    assert (alert.session_date, alert.session) == (THURSDAY, "AM")
    assert alert.reason == (
        "4 absent sessions in a row, from Thu 19 Nov AM to Fri 20 Nov PM (codes N I O I)"
    )
    assert alert.local_authority_id == world.child_a.home_la_id


def test_the_run_growing_longer_raises_nothing_new(world):
    marks(
        world,
        world.child_a,
        {
            (THURSDAY, "AM"): "N",
            (THURSDAY, "PM"): "I",
            (FRIDAY, "AM"): "O",
            (FRIDAY, "PM"): "I",
        },
    )
    check(FRIDAY, "14:00")
    marks(world, world.child_a, {(MONDAY, "AM"): "I", (MONDAY, "PM"): "I"})
    check(MONDAY, "10:00")
    check(MONDAY, "14:00")
    assert Alert.objects.filter(child=world.child_a, kind=C).count() == 1


def test_three_absences_or_a_broken_run_raise_none(world):
    marks(
        world,
        world.child_a,
        {
            (THURSDAY, "AM"): "I",
            (THURSDAY, "PM"): "/",
            (FRIDAY, "AM"): "I",
            (FRIDAY, "PM"): "I",
            (MONDAY, "AM"): "I",
        },
    )
    check(FRIDAY, "14:00")
    check(MONDAY, "10:00")
    assert not Alert.objects.filter(kind=C).exists()


def test_not_possible_sessions_neither_count_nor_break_a_run(world):
    marks(
        world,
        world.child_a,
        {
            (THURSDAY, "AM"): "I",
            (THURSDAY, "PM"): "Y1",
            (FRIDAY, "AM"): "I",
            (FRIDAY, "PM"): "I",
            (MONDAY, "AM"): "I",
        },
    )
    check(MONDAY, "10:00")
    alert = Alert.objects.get(kind=C)
    assert (alert.session_date, alert.session) == (THURSDAY, "AM")


def test_part_time_timetable_sessions_are_not_absences_in_a_run(world):
    marks(
        world,
        world.child_a,
        {
            (THURSDAY, "AM"): "C2",
            (THURSDAY, "PM"): "C2",
            (FRIDAY, "AM"): "C2",
            (FRIDAY, "PM"): "I",
            (MONDAY, "AM"): "C2",
        },
    )
    check(FRIDAY, "14:00")
    check(MONDAY, "10:00")
    assert not Alert.objects.filter(kind=C).exists()


def test_a_new_run_after_attending_is_a_new_alert(world):
    marks(
        world,
        world.child_a,
        {
            (THURSDAY, "AM"): "I",
            (THURSDAY, "PM"): "I",
            (FRIDAY, "AM"): "I",
            (FRIDAY, "PM"): "I",
        },
    )
    check(FRIDAY, "14:00")
    marks(
        world,
        world.child_a,
        {
            (MONDAY, "AM"): "/",
            (MONDAY, "PM"): "I",
            (TUESDAY, "AM"): "I",
            (TUESDAY, "PM"): "I",
            (dt.date(2026, 11, 25), "AM"): "I",
        },
    )
    check(dt.date(2026, 11, 25), "10:00")
    assert list(
        Alert.objects.filter(kind=C).order_by("session_date").values_list("session_date", "session")
    ) == [(THURSDAY, "AM"), (MONDAY, "PM")]


def test_the_consecutive_run_length_is_a_setting(world, settings):
    settings.APTRACK_ALERT_CONSECUTIVE_SESSIONS = 2
    marks(world, world.child_a, {(FRIDAY, "AM"): "I", (FRIDAY, "PM"): "I"})
    check(FRIDAY, "14:00")
    assert Alert.objects.filter(kind=C).count() == 1


def test_crossing_into_persistent_absence_raises_once(world):
    marks(world, world.child_a, fortnight(absent=1))
    check(FRIDAY, "14:00")
    assert not Alert.objects.filter(kind__in=[PERSISTENT, SEVERE]).exists()

    marks(world, world.child_a, fortnight(absent=2))  # 2 of 20: 10%
    report = check(FRIDAY, "14:00")
    alert = Alert.objects.get(kind=PERSISTENT)
    assert report.raised[PERSISTENT] == 1
    assert alert.child == world.child_a
    assert alert.period_start_date == dt.date(2026, 9, 1)
    assert alert.reason == "Absent 2 of 20 possible sessions (10.0%) since 1 September 2026"

    marks(world, world.child_a, {(MONDAY, "AM"): "/"})
    assert check(MONDAY, "10:00").raised[PERSISTENT] == 0
    assert Alert.objects.filter(kind=PERSISTENT).count() == 1


def test_crossing_into_severe_absence_raises_once_more(world):
    marks(world, world.child_a, fortnight(absent=2))
    check(FRIDAY, "14:00")
    marks(world, world.child_a, fortnight(absent=10, code="I"))  # 10 of 20: 50%
    report = check(FRIDAY, "14:00")
    assert report.raised[SEVERE] == 1
    check(FRIDAY, "14:30")
    assert Alert.objects.filter(kind=SEVERE).count() == 1
    assert Alert.objects.filter(kind=PERSISTENT).count() == 1


def test_a_child_first_seen_severely_absent_gets_the_severe_alert_only(world):
    marks(world, world.child_a, fortnight(absent=12, code="C"))
    check(FRIDAY, "14:00")
    assert list(
        Alert.objects.filter(kind__in=[PERSISTENT, SEVERE]).values_list("kind", flat=True)
    ) == [SEVERE]


def test_too_few_sessions_to_judge_raise_no_measure_alert(world):
    marks(world, world.child_a, {(THURSDAY, "AM"): "I", (THURSDAY, "PM"): "/"})
    check(THURSDAY, "14:00")
    assert not Alert.objects.filter(kind__in=[PERSISTENT, SEVERE]).exists()
