import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["officer_a", "manager_a"])
def test_la_staff_see_their_las_sufficiency(client, world, persona):
    client.force_login(getattr(world, persona))
    response = client.get(reverse("sufficiency:page"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Dorset" in body
    assert "Demand and capacity by tier" in body
    assert 'role="img"' in body
    assert "How the projection is made" in body
    assert world.child_a.legal_last_name not in body


@pytest.mark.parametrize("persona", ["provider_x", "school_y", "social_worker", "analyst"])
def test_others_may_not(client, world, persona):
    client.force_login(getattr(world, persona))
    assert client.get(reverse("sufficiency:page")).status_code == 403


def test_block_places_unused_are_shown(client, world):
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from aptrack.commissioning.models import Contract
    from aptrack.organisations.tests.factories import la
    from aptrack.providers.tests.factories import ProviderFactory

    provider = ProviderFactory(name="Harbour Tuition", home_la=la("838"))
    today = timezone.localdate()
    Contract.objects.create(
        local_authority=la("838"),
        provider=provider.organisation,
        reference="BLK-SEEN",
        kind="BLOCK",
        start_date=today - dt.timedelta(days=30),
        end_date=today + dt.timedelta(days=300),
        places=6,
        block_price=Decimal(60000),
        created_at=timezone.now(),
    )
    client.force_login(world.officer_a)
    body = client.get(reverse("sufficiency:page")).content.decode()
    assert "Block places unused" in body
    assert "6 of 6\n        places on 1 block contract (0 used)" in body
    assert "0 of 6" in body  # the tier row: none of the 6 used
