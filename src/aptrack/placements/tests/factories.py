"""Test data for placements: referrals, provider sites and standings, placements with plans."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from aptrack.children.tests.factories import ChildFactory
from aptrack.organisations.tests.factories import la
from aptrack.placements.models import IntendedOutcome, Placement
from aptrack.providers.models import ProviderApproval, ProviderSite
from aptrack.referrals.models import Referral

START = dt.date(2026, 9, 7)  # a Monday in the autumn term
AT = dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC)  # the officer's clock: before the start


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    child = factory.SubFactory(ChildFactory)
    route = "EBSA"
    primary_reason = "OTHER"
    needs_summary = "Anxiety-based school avoidance since Year 8"
    commissioning_la = factory.LazyAttribute(lambda r: r.child.home_la)
    proposed_tier = 2
    status = "APPROVED"
    created_at = factory.LazyFunction(lambda: AT - dt.timedelta(days=30))
    updated_at = factory.LazyFunction(lambda: AT - dt.timedelta(days=30))


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProviderSite

    name = factory.Sequence(lambda n: f"Site {n}")
    address_line_1 = "1 High Street"
    postcode = "DT1 1AA"
    local_authority = factory.LazyFunction(lambda: la("838"))


class ApprovalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProviderApproval

    local_authority = factory.LazyFunction(lambda: la("838"))
    status = "APPROVED"


class PlanFactory(factory.django.DjangoModelFactory):
    """A placement with a full plan, made directly (not through the service)."""

    class Meta:
        model = Placement

    child = factory.SubFactory(ChildFactory)
    start_date = START
    planned_end_date = START + dt.timedelta(weeks=10)
    commissioning_la = factory.LazyAttribute(lambda p: p.child.home_la)
    status = "ACTIVE"
    tier = 2
    hours_per_week = Decimal(25)
    created_at = factory.LazyFunction(timezone.now)


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IntendedOutcome

    description = factory.Sequence(lambda n: f"Outcome {n}")
    measure = "Attendance register"
    baseline = "40%"
    target = "90%"
