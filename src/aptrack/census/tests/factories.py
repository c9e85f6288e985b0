"""Test data for the census: providers on the register, referrals and placements around
census day 21 January 2027."""

import datetime as dt
from typing import Any

from django.utils import timezone

from aptrack.accounts.tests.factories import UserFactory
from aptrack.children.models import Child
from aptrack.children.tests.factories import ChildFactory, PlacementFactory
from aptrack.organisations.models import LocalAuthority, Organisation
from aptrack.organisations.tests.factories import EstablishmentFactory, OrganisationFactory, la
from aptrack.placements.models import Placement
from aptrack.providers.models import Provider
from aptrack.providers.tests.factories import ProviderFactory
from aptrack.referrals.models import Referral

CENSUS_DAY = dt.date(2027, 1, 21)
AFTER_CENSUS = dt.date(2027, 2, 1)


def tuition_provider(**kwargs: Any) -> Provider:
    return ProviderFactory(**{"kind": "TUITION", "setting_type": "OOT", **kwargs})


def registered_provider(kind: str, type_code: str = "28", **kwargs: Any) -> Provider:
    establishment = EstablishmentFactory(type_code=type_code)
    return ProviderFactory(kind=kind, setting_type="", establishment=establishment, **kwargs)


def referral(
    child: Child, *, reason: str = "MEDICAL", route: str = "HEALTH", **kwargs: Any
) -> Referral:
    return Referral.objects.create(
        child=child,
        route=route,
        primary_reason=reason,
        needs_summary="Needs",
        referrer=UserFactory(),
        commissioning_la=kwargs.pop("commissioning_la", child.home_la),
        proposed_tier=2,
        status="APPROVED",
        created_at=timezone.now(),
        updated_at=timezone.now(),
        **kwargs,
    )


def placement(
    *,
    provider: Provider | Organisation | None = None,
    child: Child | None = None,
    la_code: str = "838",
    reason: str | None = "MEDICAL",
    **kwargs: Any,
) -> Placement:
    """An active placement from 7 September 2026 commissioned by the LA, with its referral."""
    home_la: LocalAuthority = la(la_code)
    child = child or ChildFactory(home_la=home_la)
    organisation = provider.organisation if isinstance(provider, Provider) else provider
    kwargs.setdefault("status", "ACTIVE")
    kwargs.setdefault("commissioning_la", home_la)
    if reason is not None and "referral" not in kwargs:
        kwargs["referral"] = referral(child, reason=reason)
    return PlacementFactory(
        child=child, provider=organisation or tuition_provider().organisation, **kwargs
    )


def unregistered_organisation() -> Organisation:
    """A provider organisation with no entry on the provider register."""
    return OrganisationFactory(kind="PROVIDER")
