"""Synthetic outcomes: the same seed gives the same outcomes, and they look like AP's."""

import datetime as dt
import random
from collections.abc import Iterator

import pytest
from django.db import transaction

from aptrack.conftest import built_once
from aptrack.organisations.models import LocalAuthority
from aptrack.outcomes import grades, selectors
from aptrack.outcomes.models import (
    AssessmentPoint,
    AttainmentRecord,
    OutreachSupport,
    PriorAttendance,
    Qualification,
    WellbeingScore,
)
from aptrack.placements.models import Placement
from aptrack.synthetic import outcomes, services
from aptrack.synthetic.services import Scale

TODAY = dt.date(2026, 1, 15)
SMALL = 0.1


def _generate(seed: int = 1) -> None:
    services.generate_synthetic_data(scale=Scale.LA, seed=seed, today=TODAY, size_factor=SMALL)


def _outcomes_then_roll_back(seed: int) -> list[list[tuple]]:
    with transaction.atomic():
        _generate(seed)
        rows = [
            list(
                AttainmentRecord.objects.order_by(
                    "placement__child__upn",
                    "placement__start_date",
                    "subject",
                    "point",
                    "assessed_date",
                    "grade",
                ).values_list(
                    "placement__child__upn",
                    "subject",
                    "point",
                    "grade",
                    "assessed_date",
                    "review__held_date",
                )
            ),
            list(
                Qualification.objects.order_by(
                    "placement__child__upn", "title", "started_date"
                ).values_list(
                    "placement__child__upn", "title", "status", "started_date", "result_date"
                )
            ),
            list(
                WellbeingScore.objects.order_by(
                    "placement__child__upn", "recorded_date", "score"
                ).values_list("placement__child__upn", "score", "recorded_date")
            ),
            list(
                PriorAttendance.objects.order_by(
                    "placement__child__upn", "period_end_date"
                ).values_list(
                    "placement__child__upn",
                    "attendance_percent",
                    "period_start_date",
                    "period_end_date",
                )
            ),
            list(
                OutreachSupport.objects.order_by(
                    "local_authority__code", "school__name", "start_date", "hours"
                ).values_list(
                    "local_authority__code",
                    "school__name",
                    "provider__name",
                    "start_date",
                    "end_date",
                    "pupils_supported",
                    "hours",
                )
            ),
        ]
        transaction.set_rollback(True)
    return rows


@pytest.mark.django_db
def test_same_seed_gives_the_same_outcomes_and_another_seed_others() -> None:
    first = _outcomes_then_roll_back(3)
    assert all(first), "every kind of outcome is generated"
    assert first == _outcomes_then_roll_back(3)
    assert first != _outcomes_then_roll_back(4)


@pytest.fixture(scope="module")
def _generated_once(request: pytest.FixtureRequest) -> Iterator[None]:
    with built_once(request):
        _generate()
        yield


@pytest.fixture
def generated(_generated_once: None, db: None) -> None:
    """The data generated once for this module's tests (each only reads it). The tests that
    generate their own come before these in the module."""


def test_outcomes_are_consistent_with_their_placements(generated: None) -> None:
    for record in AttainmentRecord.objects.select_related("placement", "review"):
        assert record.placement.status in ("ACTIVE", "ENDED")
        assert record.assessed_date <= TODAY
        assert record.review is None or record.review.placement_id == record.placement_id
        if record.point == AssessmentPoint.KS4_RESULT:
            assert grades.is_valid_grade(record.grade, ks4_result=True)
    for prior in PriorAttendance.objects.select_related("placement"):
        assert prior.period_end_date < prior.placement.start_date
    for qualification in Qualification.objects.select_related("placement"):
        assert qualification.started_date <= TODAY
        assert (
            qualification.result_date is None
            or qualification.started_date <= qualification.result_date <= TODAY
        )


def test_outcome_measures_look_like_ap(generated: None) -> None:
    summary = selectors.outcome_summary(placements=Placement.objects.all())
    assert summary.english.with_entry > 10 and summary.maths.with_entry > 10
    assert summary.english.mean_entry is not None and summary.english.mean_entry < 3  # mostly low
    assert 0 < summary.english.improved < summary.english.with_progress  # modest progress
    assert summary.qualifications_achieved > 0 and summary.qualifications_working_towards > 0
    assert summary.wellbeing_compared > 0
    # Attendance in AP is higher than before for most, not all.
    assert (
        0.5 * summary.attendance_compared
        < summary.attendance_improved
        < summary.attendance_compared
    )
    assert summary.reintegrated > 0


def test_each_la_has_outreach_to_its_own_schools(generated: None) -> None:
    for la in LocalAuthority.objects.filter(code__in=["838", "204"]):
        support = OutreachSupport.objects.filter(local_authority=la).select_related("school")
        assert support.exists()
        assert all(item.school.local_authority_id == la.pk for item in support)


def test_about_four_percent_get_grade_4_in_both_english_and_maths() -> None:
    """Year 11 children in AP run through the same draws many times (domain.md §4: 4%)."""
    rng = random.Random(7)
    children, both = 20_000, 0
    for _ in range(children):
        standing = outcomes.ability(rng)
        year = rng.choice((9, 10, 10, 11, 11))
        results = []
        for _subject in ("English", "maths"):
            grade = outcomes.entry_grade(rng, standing, year)
            for _review in range(rng.randint(1, 4)):
                grade = outcomes.review_grade(rng, grade, 0.22 + 0.08 * standing)
            entered = rng.random() >= outcomes.NOT_ENTERED
            results.append(outcomes.ks4_result(rng, grade) if entered else None)
        both += all(result is not None and result >= grades.STANDARD_PASS for result in results)
    assert 0.025 <= both / children <= 0.06


def test_results_day_is_the_third_thursday_of_august() -> None:
    assert outcomes.results_day(2025) == dt.date(2025, 8, 21)
    assert outcomes.results_day(2026) == dt.date(2026, 8, 20)
