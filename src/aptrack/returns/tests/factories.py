import datetime as dt
from decimal import Decimal

import factory

from aptrack.accounts.tests.factories import UserFactory
from aptrack.organisations.tests.factories import OrganisationFactory, la
from aptrack.providers.models import Provider, ProviderKind, ProviderSite
from aptrack.returns.models import ProviderReturn, ReturnLine
from aptrack.returns.states import ReturnStatus

AT = dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC)


class ProviderFactory(factory.django.DjangoModelFactory):
    """A non-school provider (setting type OTH). Pass `organisation=` to use a persona's."""

    class Meta:
        model = Provider

    organisation = factory.SubFactory(
        OrganisationFactory,
        kind="PROVIDER",
        local_authority=factory.LazyFunction(lambda: la("838")),
    )
    name = factory.LazyAttribute(lambda p: p.organisation.name)
    kind = ProviderKind.OTHER
    setting_type = "OTH"
    home_la = factory.LazyAttribute(lambda p: p.organisation.local_authority or la("838"))
    created_at = AT
    updated_at = AT


class ProviderSiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProviderSite

    provider = factory.SubFactory(ProviderFactory)
    name = factory.Sequence(lambda n: f"Site {n}")
    address_line_1 = "1 Synthetic Street"
    postcode = "DT1 1AA"
    local_authority = factory.LazyAttribute(lambda s: s.provider.home_la)


class ProviderReturnFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProviderReturn

    provider = factory.SubFactory(ProviderFactory)
    period_start_date = dt.date(2026, 9, 1)
    period_end_date = dt.date(2026, 9, 30)
    status = ReturnStatus.DRAFT
    created_by = factory.SubFactory(UserFactory)
    created_at = AT

    class Params:
        submitted = factory.Trait(
            status=ReturnStatus.SUBMITTED,
            submitted_by=factory.SelfAttribute("created_by"),
            submitted_at=AT,
        )


class ReturnLineFactory(factory.django.DjangoModelFactory):
    """An anonymous pupil line unless `child=` is given (then pass the anonymous facts as None)."""

    class Meta:
        model = ReturnLine

    provider_return = factory.SubFactory(ProviderReturnFactory)
    child = None
    compulsory_school_age = True
    looked_after = False
    has_ehcp = False
    hours_per_week = Decimal("25")
    created_at = AT

    class Params:
        named = factory.Trait(compulsory_school_age=None, looked_after=None, has_ehcp=None)
