"""Fixtures for the placements tests: a provider on the register for provider_x's
organisation, with a site and an approval by Dorset, an approved referral for child_a2, and
a switch for the provider's compliance."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest

from aptrack.placements.tests.factories import START, ApprovalFactory, ReferralFactory, SiteFactory
from aptrack.providers.models import Provider, ProviderSite
from aptrack.providers.tests.factories import ProviderFactory
from aptrack.referrals.models import Referral


@dataclass
class Setting:
    provider: Provider
    site: ProviderSite
    referral: Referral
    non_compliant: set[int] = field(default_factory=set)

    def data(self, world: Any, **changes: Any) -> dict[str, Any]:
        """A valid tier 2 plan for child_a2 from the approved referral."""
        values = {
            "child": world.child_a2,
            "provider": self.provider,
            "site": self.site,
            "referral": self.referral,
            "tier": 2,
            "start_date": START,
            "planned_end_date": START + dt.timedelta(weeks=10),
            "hours_per_week": Decimal(25),
            "exit_plan": "Back to School Y, building up over two weeks",
            "readiness_criteria": "Attending 90% for four weeks",
            "family_involvement": "Weekly call with mum",
        }
        values.update(changes)
        return values


@pytest.fixture
def setting(world: Any, monkeypatch: pytest.MonkeyPatch) -> Setting:
    provider = ProviderFactory(
        organisation=world.provider_x.organisation,
        name="Provider X",
        hourly_rate=Decimal("20.00"),
        offers_tier_1=True,
    )
    site = SiteFactory(provider=provider, name="Provider X main site")
    ApprovalFactory(provider=provider)
    referral = ReferralFactory(child=world.child_a2, referrer=world.officer_a)
    result = Setting(provider=provider, site=site, referral=referral)

    # Compliance belongs to the quality app: these tests choose it per provider.
    from aptrack.quality.selectors import compliance as quality_compliance

    monkeypatch.setattr(
        quality_compliance,
        "is_provider_compliant",
        lambda provider, on: provider.pk not in result.non_compliant,
    )
    return result
