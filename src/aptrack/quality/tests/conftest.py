import datetime as dt

import pytest

from aptrack.organisations.tests.factories import la
from aptrack.quality.tests.factories import ProviderFactory

ON = dt.date(2026, 3, 2)
AT = dt.datetime(2026, 3, 2, 10, 30, tzinfo=dt.UTC)


@pytest.fixture
def px(world):
    """Provider X: based in Dorset, staffed by world.provider_x."""
    return ProviderFactory(organisation=world.provider_x.organisation, home_la=la("838"))


@pytest.fixture
def pz(world):
    """Provider Z: based in Hackney, staffed by world.provider_z."""
    return ProviderFactory(organisation=world.provider_z.organisation, home_la=la("204"))
