"""The local authorities a fresh database starts with, loaded by `organisations.0002` from its
own copy of the list (ADR 0009)."""

import pytest

from aptrack.organisations.models import LocalAuthority, Region

pytestmark = pytest.mark.django_db


def test_every_english_local_authority_is_loaded_with_its_codes_and_region():
    authorities = LocalAuthority.objects.all()
    assert authorities.count() == 153
    city = LocalAuthority.objects.get(code="201")
    assert (city.ons_code, city.name, city.region) == ("E09000001", "City of London", "LONDON")
    assert set(authorities.values_list("region", flat=True)) == set(Region.values)
