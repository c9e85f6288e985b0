import datetime as dt

import factory
from django.utils import timezone

from aptrack.children import upn
from aptrack.children.models import Child
from aptrack.organisations.tests.factories import la
from aptrack.placements.models import Placement


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    legal_first_name = factory.Faker("first_name", locale="en_GB")
    legal_last_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = dt.date(2012, 3, 14)
    sex = "M"
    home_la = factory.LazyFunction(lambda: la("838"))
    # Not the example UPN the upload pages show (A838400023001): a test that looks for a child's
    # UPN on a page would find the example.
    upn = factory.LazyAttributeSequence(
        lambda child, n: upn.make(child.home_la.code, "4100", "23", f"{n % 1000:03d}")
    )
    created_at = factory.LazyFunction(timezone.now)
    updated_at = factory.LazyFunction(timezone.now)


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Placement

    child = factory.SubFactory(ChildFactory)
    start_date = dt.date(2026, 9, 7)
    commissioning_la = factory.LazyAttribute(lambda p: p.child.home_la)
    created_at = factory.LazyFunction(timezone.now)
