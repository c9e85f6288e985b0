"""Which providers an LA uses, and the provider a provider-staff user works for."""

from django.db.models import Q, QuerySet

from aptrack.accounts.models import User
from aptrack.providers.models import Provider, ProviderApproval


def list_providers_used(*, la_id: int) -> QuerySet[Provider]:
    """Providers an LA uses: those based in it, and those with a standing on its framework."""
    approved = ProviderApproval.objects.filter(local_authority_id=la_id).values("provider_id")
    return (
        Provider.objects.filter(Q(home_la_id=la_id) | Q(pk__in=approved))
        .select_related("home_la")
        .order_by("name", "pk")
    )


def get_provider(*, provider_id: int) -> Provider | None:
    return Provider.objects.select_related("home_la", "organisation").filter(pk=provider_id).first()


def get_own_provider(*, user: User) -> Provider | None:
    """The provider a provider-staff user works for, if it is on the register."""
    organisation_id = getattr(user, "organisation_id", None)
    if not organisation_id:
        return None
    return Provider.objects.filter(organisation_id=organisation_id).first()
