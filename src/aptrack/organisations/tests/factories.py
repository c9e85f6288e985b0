import factory

from aptrack.organisations.models import Establishment, LocalAuthority, Organisation


def la(code: str) -> LocalAuthority:
    """A real LA from the reference data the migrations load."""
    return LocalAuthority.objects.get(code=code)


class EstablishmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Establishment

    urn = factory.Sequence(lambda n: f"{900000 + n:06d}")
    name = factory.Sequence(lambda n: f"Synthetic School {n}")
    local_authority = factory.LazyFunction(lambda: la("838"))
    establishment_number = factory.Sequence(lambda n: f"{4000 + n % 1000:04d}")
    type_code = "28"
    type_name = "Academy sponsor led"
    status = "Open"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = "PROVIDER"
