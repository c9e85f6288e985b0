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
