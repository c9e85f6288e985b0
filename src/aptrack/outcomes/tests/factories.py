"""Test data for outcomes: grades, qualifications, wellbeing, attendance before AP, outreach.
Made directly (not through the services), for selector and view tests."""

import datetime as dt
from decimal import Decimal

import factory

from aptrack.accounts.tests.factories import UserFactory
from aptrack.organisations.tests.factories import OrganisationFactory
from aptrack.outcomes.models import (
    AttainmentRecord,
    OutreachSupport,
    PriorAttendance,
    Qualification,
    WellbeingScore,
)
from aptrack.placements.models import FollowUp, Review
from aptrack.placements.tests.factories import PlanFactory

AT = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)


class PlacementFactory(PlanFactory):
    """A started placement with a provider."""

    provider = factory.SubFactory(OrganisationFactory, kind="PROVIDER")


class AttainmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AttainmentRecord

    placement = factory.SubFactory(PlacementFactory)
    subject = "ENGLISH"
    point = "ENTRY"
    grade = 2
    assessed_date = factory.LazyAttribute(lambda r: r.placement.start_date)
    recorded_by = factory.SubFactory(UserFactory)
    recorded_at = AT


class QualificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Qualification

    placement = factory.SubFactory(PlacementFactory)
    title = "Functional Skills English"
    kind = "FUNCTIONAL_SKILLS"
    level = "LEVEL_1"
    status = "WORKING_TOWARDS"
    started_date = factory.LazyAttribute(lambda q: q.placement.start_date)
    recorded_by = factory.SubFactory(UserFactory)
    recorded_at = AT
    updated_at = AT


class WellbeingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WellbeingScore

    placement = factory.SubFactory(PlacementFactory)
    score = 4
    recorded_date = factory.LazyAttribute(lambda w: w.placement.start_date)
    recorded_by = factory.SubFactory(UserFactory)
    recorded_at = AT


class PriorAttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriorAttendance

    placement = factory.SubFactory(PlacementFactory)
    attendance_percent = Decimal("50.0")
    period_start_date = factory.LazyAttribute(
        lambda p: p.placement.start_date - dt.timedelta(weeks=12)
    )
    period_end_date = factory.LazyAttribute(lambda p: p.placement.start_date - dt.timedelta(days=1))
    source = "SCHOOL_RECORD"
    recorded_by = factory.SubFactory(UserFactory)
    recorded_at = AT


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    placement = factory.SubFactory(PlacementFactory)
    held_date = factory.LazyAttribute(lambda r: r.placement.start_date + dt.timedelta(weeks=6))
    decision = "CONTINUE"
    next_review_date = factory.LazyAttribute(lambda r: r.held_date + dt.timedelta(weeks=6))
    recorded_by = factory.SubFactory(UserFactory)
    recorded_at = AT


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    placement = factory.SubFactory(PlacementFactory)
    weeks_after = 6
    due_date = factory.LazyAttribute(
        lambda f: (
            (f.placement.end_date or f.placement.start_date) + dt.timedelta(weeks=f.weeks_after)
        )
    )


class OutreachFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutreachSupport

    start_date = dt.date(2026, 9, 14)
    pupils_supported = 3
    hours = Decimal("12.0")
    purpose = "Behaviour support in Year 9"
    recorded_by = factory.SubFactory(UserFactory)
    recorded_at = AT
