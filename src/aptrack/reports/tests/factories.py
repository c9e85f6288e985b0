"""Test data for provider reports and incidents, made directly (not through the services)."""

import datetime as dt

import factory
from django.utils import timezone

from aptrack.reports.models import Incident, ProviderReport

AUTUMN_1 = (dt.date(2026, 9, 2), dt.date(2026, 10, 23))  # the standard pattern's Autumn 1 2026


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProviderReport

    half_term_name = "Autumn 1"
    academic_year = 2026
    period_start = AUTUMN_1[0]
    period_end = AUTUMN_1[1]
    english = "Reading a chapter a week"
    maths = "Fractions secure"
    wellbeing = "Settled, calmer at lunchtimes"
    child_words = "I like coming here because nobody shouts"
    family_words = "He gets up in the morning now"
    next_steps = "Start GCSE English"
    submitted_at = factory.LazyFunction(timezone.now)


class IncidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Incident

    child = factory.LazyAttribute(lambda i: i.placement.child)
    category = "BEHAVIOUR"
    occurred_at = factory.LazyFunction(timezone.now)
    what_happened = "Threw a chair in the art room"
    actions_taken = "Calmed in the quiet room; parent called"
    recorded_by_organisation = factory.LazyAttribute(lambda i: i.recorded_by.organisation)
    recorded_at = factory.LazyFunction(timezone.now)
