"""Every synthetic placement comes from an approved referral with a route and primary reason."""

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from aptrack.placements.models import Placement
from aptrack.referrals.models import PrimaryReason, Referral, Route
from aptrack.referrals.states import ReferralStatus
from aptrack.synthetic import services
from aptrack.synthetic.services import Scale

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 1, 15)


@pytest.fixture(scope="module")
def _generated_once(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The data generated once for this module's tests, rolled back after the last."""
    with django_db_blocker.unblock(), transaction.atomic():
        services.generate_synthetic_data(scale=Scale.LA, seed=3, today=TODAY, size_factor=0.3)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def generated(_generated_once: None, db: None) -> None:
    """Each test's own writes are rolled back after it."""


def test_every_placement_has_an_approved_referral_for_its_child(generated):
    placements = list(Placement.objects.select_related("referral"))
    assert placements
    for placement in placements:
        referral = placement.referral
        assert referral is not None
        assert referral.status == ReferralStatus.APPROVED
        assert referral.child_id == placement.child_id
        assert referral.created_at.date() < placement.start_date
        assert referral.events.order_by("at").last().to_status == ReferralStatus.APPROVED


def test_routes_follow_the_children_and_exclusions_have_a_first_day(generated):
    routes = Counter(Placement.objects.values_list("referral__route", flat=True))
    assert routes[Route.EHCP_NAMED] > sum(routes.values()) / 3  # most children in AP have an EHCP
    linked = Referral.objects.filter(placements__isnull=False).distinct()
    assert routes[Route.PERMANENT_EXCLUSION] > 0
    for referral in linked.filter(route=Route.PERMANENT_EXCLUSION):
        assert referral.primary_reason == PrimaryReason.PERMANENT_EXCLUSION
        assert referral.first_day_of_exclusion < referral.placements.first().start_date
