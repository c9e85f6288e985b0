"""Synthetic attendance: marks for every session of every started placement on its LA's school
days up to yesterday, in weekly batches with history, rollups that agree with the marks, and
figures near the national picture for AP (domain.md §7)."""

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterator

import pytest
from django.db import transaction

from aptrack.attendance import codes, selectors
from aptrack.attendance.codes import ROLLUP_COLUMNS
from aptrack.attendance.models import (
    AttendanceMark,
    AttendanceMarkVersion,
    MarkBatch,
    MarkChannel,
    PlacementWeek,
)
from aptrack.attendance.scopes import Grouping, Period, Scope
from aptrack.calendars.selectors import get_calendar
from aptrack.children.models import Child
from aptrack.conftest import built_once
from aptrack.organisations.models import LocalAuthority
from aptrack.placements.models import Placement
from aptrack.placements.states import PlacementStatus
from aptrack.synthetic import services
from aptrack.synthetic.services import GenerationSummary, Scale

TODAY = dt.date(2026, 3, 18)  # a Wednesday in the spring term: half-term and bank holidays behind
YEAR_START = dt.date(2025, 9, 1)
SMALL = 0.1


def _generate(seed: int = 1, size_factor: float = SMALL, today: dt.date = TODAY):
    return services.generate_synthetic_data(
        scale=Scale.LA, seed=seed, today=today, size_factor=size_factor
    )


def _expected_sessions(placement: Placement, today: dt.date) -> set[tuple[dt.date, str]]:
    calendar = get_calendar(la_id=placement.commissioning_la_id or placement.child.home_la_id)
    day = max(placement.start_date, YEAR_START)
    last = min(placement.end_date or today, today - dt.timedelta(days=1))
    expected = set()
    while day <= last:
        if calendar.is_school_day(day):
            expected |= {(day, "AM"), (day, "PM")}
        day += dt.timedelta(days=1)
    return expected


@pytest.fixture(scope="class")
def _generated_once(request: pytest.FixtureRequest) -> Iterator[GenerationSummary]:
    with built_once(request):
        yield _generate()


@pytest.fixture
def summary(_generated_once: GenerationSummary, db: None) -> GenerationSummary:
    return _generated_once


class TestOneGeneration:
    """These tests read the same generation (seed 1, the small size, TODAY): it is made once for
    the class (`summary`), and each test's own writes are rolled back after it."""

    def test_every_started_placement_is_marked_on_each_school_day_session_and_no_other_day(
        self, summary: GenerationSummary
    ):
        marks: dict[int, set[tuple[dt.date, str]]] = defaultdict(set)
        for placement_id, day, session in AttendanceMark.objects.values_list(
            "placement_id", "session_date", "session"
        ):
            marks[placement_id].add((day, session))
        assert summary.marks == AttendanceMark.objects.count() > 1_000
        checked = 0
        for placement in Placement.objects.select_related("child"):
            if placement.status in (PlacementStatus.PLANNED, PlacementStatus.CANCELLED):
                assert placement.pk not in marks, "a placement that never started has no marks"
                continue
            expected = _expected_sessions(placement, TODAY)
            assert marks.get(placement.pk, set()) == expected, placement
            checked += bool(expected)
        assert checked > 50
        days = {day for sessions in marks.values() for day, _ in sessions}
        assert all(day.weekday() < 5 for day in days)
        assert max(days) == TODAY - dt.timedelta(days=1)  # today's registers are still to be taken
        assert dt.date(2025, 12, 25) not in days and dt.date(2026, 2, 18) not in days  # holidays

    def test_codes_minutes_late_and_batches_follow_the_rules(self, summary: GenerationSummary):
        marks = list(
            AttendanceMark.objects.values_list("code", "minutes_late", "version", "batch_id")
        )
        for code, minutes, _, _ in marks:
            assert code in codes.BY_CODE
            assert (minutes is not None) == (code in codes.LATE_CODES)
            if code == "L":
                assert 0 < minutes <= 30  # before the register closed
        used = Counter(code for code, *_ in marks)
        for code in ("/", "\\", "L", "U", "I", "O", "M", "C2", "B"):
            assert used[code], f"no {code} marks"
        batches = {batch.pk: batch for batch in MarkBatch.objects.all()}
        assert {batch_id for *_, batch_id in marks} <= set(batches)
        assert {batch.channel for batch in batches.values()} == {MarkChannel.SYNTHETIC}
        assert all(batch.recorded_at.date() < TODAY for batch in batches.values())
        assert sum(batch.created for batch in batches.values()) == len(marks)
        assert all(batch.rows == batch.created + batch.changed for batch in batches.values())

    def test_absences_first_recorded_as_no_reason_yet_keep_that_version(
        self, summary: GenerationSummary
    ):
        changed = AttendanceMark.objects.filter(version=2)
        assert changed.exists()
        versions = {v.mark_id: v for v in AttendanceMarkVersion.objects.select_related("batch")}
        assert set(versions) == set(changed.values_list("pk", flat=True))
        for mark in changed.select_related("batch"):
            old = versions[mark.pk]
            assert (old.version, old.code, old.replaced_by_batch_id) == (1, "N", mark.batch_id)
            assert mark.code in codes.ABSENCE_CODES - {"N"}
            assert old.batch.recorded_at < mark.batch.recorded_at
            assert old.batch.provider_id == mark.batch.provider_id
        # The last week's absences may still wait for a reason.
        last_week = TODAY - dt.timedelta(days=7)
        assert AttendanceMark.objects.filter(code="N", session_date__gte=last_week).exists()

    def test_rollups_agree_with_the_marks(self, summary: GenerationSummary):
        counted: dict[tuple[int, dt.date], Counter] = defaultdict(Counter)
        for placement_id, day, code in AttendanceMark.objects.values_list(
            "placement_id", "session_date", "code"
        ):
            week = day - dt.timedelta(days=day.weekday())
            for column, wanted in ROLLUP_COLUMNS:
                counted[placement_id, week][column] += code in wanted
        rollups = {
            (row.placement_id, row.week_start_date): row
            for row in PlacementWeek.objects.select_related("placement__child")
        }
        assert set(rollups) == set(counted)
        for key, row in rollups.items():
            assert {column: getattr(row, column) for column, _ in ROLLUP_COLUMNS} == dict(
                {column: 0 for column, _ in ROLLUP_COLUMNS}, **counted[key]
            )
            placement = row.placement
            assert (row.child_id, row.provider_id) == (placement.child_id, placement.provider_id)
            assert row.local_authority_id == (
                placement.commissioning_la_id or placement.child.home_la_id
            )


def _marks_then_roll_back(seed: int) -> list[tuple]:
    with transaction.atomic():
        _generate(seed)
        rows = list(
            AttendanceMark.objects.order_by(
                "placement__child__upn", "placement__start_date", "session_date", "session"
            ).values_list(
                "placement__child__upn", "session_date", "session", "code", "minutes_late",
                "comment", "version",
            )
        )  # fmt: skip
        transaction.set_rollback(True)
    return rows


@pytest.mark.django_db
def test_same_seed_gives_the_same_marks_and_another_seed_others():
    first = _marks_then_roll_back(1)
    assert first == _marks_then_roll_back(1)
    assert first != _marks_then_roll_back(2)


@pytest.mark.django_db
def test_la_scale_attendance_is_near_the_national_picture_and_spread_by_provider():
    today = dt.date(2026, 7, 22)  # the summer term just over: a whole year of marks
    _generate(size_factor=1.0, today=today)
    year = Period.academic_year(2025)
    overall = selectors.get_measures(scope=Scope.all_las(), period=year, today=today)
    assert 45 <= overall.rates.attendance <= 70  # 57.5% in state-funded AP
    assert 12 <= overall.rates.authorised_absence <= 32  # 22.8%
    assert 10 <= overall.rates.unauthorised_absence <= 30  # 19.7%
    assert overall.children > 600
    assert 0.7 <= overall.persistent / overall.children <= 0.95  # 82.7%
    assert 0.2 <= overall.severe / overall.children <= 0.6  # 39.2%
    assert overall.counts.part_time_sessions and overall.counts.q_sessions
    assert 0 < overall.delivered_hours < overall.planned_hours
    by_provider = [
        m.rates.attendance
        for m in selectors.list_measures(scope=Scope.all_las(), period=year, by=Grouping.PROVIDER)
        if m.children >= 20
    ]
    assert len(by_provider) >= 6
    assert max(by_provider) - min(by_provider) >= 20
    for la in LocalAuthority.objects.filter(code__in=["838", "204"]):
        la_measures = selectors.get_measures(scope=Scope.la(la.pk), period=year, today=today)
        assert 35 <= la_measures.rates.attendance <= 80, la.name


@pytest.mark.django_db
def test_generate_still_refuses_once_marks_exist():
    _generate()
    marks = AttendanceMark.objects.count()
    with pytest.raises(services.DataAlreadyPresent):
        _generate(seed=2)
    assert AttendanceMark.objects.count() == marks
    assert Child.objects.count() < 100


@pytest.mark.django_db
def test_before_the_first_school_day_of_the_year_there_are_no_marks():
    summary = _generate(today=dt.date(2025, 9, 2))
    assert summary.marks == 0
    assert not MarkBatch.objects.exists() and not PlacementWeek.objects.exists()
