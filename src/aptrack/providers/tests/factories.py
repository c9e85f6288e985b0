import factory
from django.utils import timezone

from aptrack.organisations.tests.factories import OrganisationFactory, la
from aptrack.providers.models import Provider


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    organisation = factory.SubFactory(OrganisationFactory, kind="PROVIDER")
    name = factory.LazyAttribute(lambda p: p.organisation.name)
    kind = "TUITION"
    setting_type = "OOT"
    home_la = factory.LazyFunction(lambda: la("838"))
    offers_tier_2 = True
    created_at = factory.LazyFunction(timezone.now)
    updated_at = factory.LazyFunction(timezone.now)
