"""The world's providers X (Dorset) and Z (Hackney) on the provider register, as non-school
providers, each with one site; the world's children get surnames no page text contains."""

from dataclasses import dataclass

import pytest

# The real-browser fixtures (Chromium, live server, axe), shared with core's browser tests.
from aptrack.core.tests.conftest import (  # noqa: F401 - fixtures, used by name
    browser,
    browser_problems,
    browser_world,
    chromium_executable,
    new_page,
)
from aptrack.organisations.tests.factories import la
from aptrack.providers.models import Provider, ProviderSite
from aptrack.returns.tests.factories import ProviderFactory, ProviderSiteFactory


@dataclass
class Registered:
    x: Provider
    z: Provider
    x_site: ProviderSite
    z_site: ProviderSite


@pytest.fixture
def registered(world: object) -> Registered:
    # Distinct surnames, so "this name is not on the page" cannot pass or fail by chance.
    for attr, surname in (
        ("child_a", "Alphasynth"),
        ("child_a2", "Betasynth"),
        ("child_b", "Gammasynth"),
    ):
        child = getattr(world, attr)
        child.legal_last_name = surname
        child.save(update_fields=["legal_last_name"])
    x = ProviderFactory(organisation=world.provider_x.organisation, home_la=la("838"))  # type: ignore[attr-defined]
    z = ProviderFactory(organisation=world.provider_z.organisation, home_la=la("204"))  # type: ignore[attr-defined]
    return Registered(
        x=x,
        z=z,
        x_site=ProviderSiteFactory(provider=x, name="X main site"),
        z_site=ProviderSiteFactory(provider=z, name="Z main site"),
    )
