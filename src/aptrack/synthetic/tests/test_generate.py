import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from aptrack.accounts.models import User
from aptrack.children.models import Child, Ethnicity
from aptrack.children.tests.factories import ChildFactory
from aptrack.organisations.models import Establishment, LocalAuthority, Organisation
from aptrack.placements.models import (
    FollowUp,
    IntendedOutcome,
    OutcomeProgress,
    Placement,
    PlacementEvent,
    Review,
)
from aptrack.quality.models import (
    ComplianceCheck,
    QAVisit,
    StandardJudgement,
)
from aptrack.returns.models import ProviderReturn, ReturnLine
from aptrack.synthetic import records, services
from aptrack.synthetic.services import Scale

TODAY = dt.date(2026, 1, 15)
SMALL = 0.1  # 42 Dorset and 30 Hackney children: enough for structure, quick to build


def _generate(seed: int = 1, size_factor: float = SMALL) -> services.GenerationSummary:
    return services.generate_synthetic_data(
        scale=Scale.LA, seed=seed, today=TODAY, size_factor=size_factor
    )


def _children_then_roll_back(seed: int) -> list[tuple]:
    with transaction.atomic():
        _generate(seed)
        rows = list(
            Child.objects.order_by("pk").values_list(
                "legal_first_name", "legal_last_name", "upn", "date_of_birth", "home_la__code"
            )
        )
        transaction.set_rollback(True)
    return rows


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Child, Placement, Organisation, Establishment, User)
    }


@pytest.mark.django_db
def test_same_seed_gives_same_children() -> None:
    assert _children_then_roll_back(7) == _children_then_roll_back(7)


@pytest.mark.django_db
def test_different_seed_gives_different_children() -> None:
    first, second = _children_then_roll_back(7), _children_then_roll_back(8)
    assert [row[:3] for row in first] != [row[:3] for row in second]


def test_ethnicity_weights_use_census_codes() -> None:
    for mix in records.ETHNICITY_WEIGHTS.values():
        assert set(mix) <= set(Ethnicity.values)


@pytest.mark.django_db
def test_if_empty_rerun_creates_nothing_new() -> None:
    _generate()
    before = _counts()
    out = StringIO()
    call_command("generate", "--scale", "la", "--seed", "1", "--if-empty", stdout=out)
    assert services.DATA_ALREADY_PRESENT in out.getvalue()
    assert _counts() == before


@pytest.mark.django_db
def test_if_empty_rerun_restores_a_missing_demo_user() -> None:
    _generate()
    User.objects.filter(username="officer").delete()
    call_command("generate", "--if-empty", stdout=StringIO())
    assert User.objects.get(username="officer").check_password(services.DEMO_PASSWORD)


@pytest.mark.django_db
def test_refuses_a_non_empty_database_without_if_empty() -> None:
    ChildFactory()
    before = _counts()
    with pytest.raises(CommandError, match="--if-empty"):
        call_command("generate", "--scale", "la", "--seed", "1", stdout=StringIO())
    assert _counts() == before


@pytest.mark.django_db
def test_service_refuses_when_children_exist() -> None:
    ChildFactory()
    with pytest.raises(services.DataAlreadyPresent):
        _generate()


@pytest.mark.django_db
def test_national_plan_shares_64000_children_over_153_las() -> None:
    plan = services.plan_local_authorities(scale=Scale.NATIONAL)
    assert len(plan) == 153
    assert sum(count for _, count in plan) == 64_000
    assert plan[0][0].code == "838"
    sizes = {la.code: count for la, count in plan}
    assert sizes["886"] > sizes["838"] > sizes["857"]  # Kent > Dorset > Rutland


@pytest.mark.django_db
def test_region_plan_is_the_south_west_led_by_dorset() -> None:
    plan = services.plan_local_authorities(scale=Scale.REGION)
    assert plan[0][0].code == "838"
    assert {la.region for la, _ in plan} == {"SOUTH_WEST"}
    assert len(plan) == LocalAuthority.objects.filter(region="SOUTH_WEST").count()


@pytest.mark.django_db
def test_demo_logins_lists_users_and_the_password() -> None:
    _generate()
    out = StringIO()
    call_command("demo-logins", stdout=out)
    text = out.getvalue()
    for username in services.DEMO_USERNAMES:
        assert username in text
    assert services.DEMO_PASSWORD in text
    assert "Open http://127.0.0.1:8000/" in text
    out = StringIO()
    call_command("demo-logins", url="http://127.0.0.1:8799/", stdout=out)  # make demo PORT=8799
    assert "Open http://127.0.0.1:8799/" in out.getvalue()


@pytest.mark.django_db
def test_demo_logins_fails_without_demo_users() -> None:
    with pytest.raises(CommandError, match="no demo users"):
        call_command("demo-logins", stdout=StringIO())


# --- plans, reviews, quality assurance and returns -------------------------------------------


def _everything_then_roll_back(seed: int) -> list[list[tuple]]:
    """A fingerprint of every kind of generated row, without primary keys."""
    with transaction.atomic():
        _generate(seed)
        rows = [
            list(
                Placement.objects.order_by("pk").values_list(
                    "child__upn",
                    "provider__name",
                    "status",
                    "tier",
                    "start_date",
                    "planned_end_date",
                    "maximum_end_date",
                    "end_date",
                    "hours_per_week",
                    "home_school_hours_per_week",
                    "weekly_cost",
                    "part_time_reason",
                    "exit_plan",
                    "end_reason",
                    "destination",
                )
            ),
            list(
                IntendedOutcome.objects.order_by("pk").values_list(
                    "placement__child__upn", "description", "baseline", "target"
                )
            ),
            list(
                Review.objects.order_by("pk").values_list(
                    "placement__child__upn",
                    "held_date",
                    "decision",
                    "attendance_percent",
                    "recorded_by__username",
                )
            ),
            list(OutcomeProgress.objects.order_by("pk").values_list("score", "current_value")),
            list(
                FollowUp.objects.order_by("pk").values_list(
                    "due_date", "done_date", "destination_sustained"
                )
            ),
            list(PlacementEvent.objects.order_by("pk").values_list("kind", "at", "data")),
            list(
                ComplianceCheck.objects.order_by("pk").values_list(
                    "provider__name", "check_type", "evidence_date", "expiry_date", "named_person"
                )
            ),
            list(
                QAVisit.objects.order_by("pk").values_list(
                    "provider__name", "visit_date", "status", "overall_judgement", "summary"
                )
            ),
            list(StandardJudgement.objects.order_by("pk").values_list("standard__code", "grade")),
            list(
                ProviderReturn.objects.order_by("pk").values_list(
                    "provider__name", "period_start_date", "status", "submitted_at"
                )
            ),
            list(ReturnLine.objects.order_by("pk").values_list("child__upn", "hours_per_week")),
            list(User.objects.order_by("username").values_list("username", "role")),
        ]
        transaction.set_rollback(True)
    return rows


@pytest.mark.django_db
def test_same_seed_gives_the_same_plans_reviews_quality_and_returns() -> None:
    first = _everything_then_roll_back(5)
    assert all(first), "every kind of row is generated"
    assert first == _everything_then_roll_back(5)
