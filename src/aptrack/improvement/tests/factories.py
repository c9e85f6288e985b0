import datetime as dt

import factory
from django.utils import timezone

from aptrack.improvement.models import Action, ImprovementPlan, Priority
from aptrack.organisations.tests.factories import la


class PlanFactory(factory.django.DjangoModelFactory):
    """Pass `created_by` (an LA manager)."""

    class Meta:
        model = ImprovementPlan

    local_authority = factory.LazyFunction(lambda: la("838"))
    title = "AP improvement plan 2026 to 2028"
    board = "AP Improvement Plan Oversight Board"
    period_start = dt.date(2026, 9, 1)
    period_end = dt.date(2028, 8, 31)
    created_at = factory.LazyFunction(timezone.now)
    updated_at = factory.LazyFunction(timezone.now)


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priority

    plan = factory.SubFactory(PlanFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = "Every permanently excluded child in provision by the sixth day"
    measure_keys = factory.LazyFunction(lambda: ["sixth_day_compliance"])


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    priority = factory.SubFactory(PriorityFactory)
    title = "Agree a sixth-day offer with the PRU"
    owner_name = "Sam Patel"
    owner_role = "Head of Inclusion"
    due_date = dt.date(2026, 12, 18)
    created_at = factory.LazyFunction(timezone.now)
    updated_at = factory.LazyFunction(timezone.now)
