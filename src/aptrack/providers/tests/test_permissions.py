"""Who may change which part of a shared provider record: the permission matrix, as data."""

import pytest

from aptrack.accounts.roles import Role
from aptrack.accounts.tests.factories import UserFactory
from aptrack.children.tests.factories import PlacementFactory
from aptrack.providers import permissions
from aptrack.providers.tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db

# persona: (registration facts, contact details, offer, add a site, standing, own notes and rates)
# on Provider X: based in Dorset, commissioned by Dorset (the world's child_a is placed there).
MATRIX = {
    "officer_a": (False, False, False, False, False, True),
    "manager_a": (False, False, False, False, True, True),
    "qa_lead_a": (True, True, True, True, True, True),
    "officer_b": (False, False, False, False, False, True),
    "qa_lead_b": (
        False,
        False,
        False,
        False,
        True,
        True,
    ),  # Hackney neither hosts nor commissions X
    "provider_x": (False, True, True, True, False, False),
    "provider_z": (False, False, False, False, False, False),
    "school_y": (False, False, False, False, False, False),
    "social_worker": (False, False, False, False, False, False),
    "virtual_school_head_a": (False, False, False, False, False, False),
    "panel_member": (False, False, False, False, False, False),
    "analyst": (False, False, False, False, False, False),
}


@pytest.fixture
def personas(world):
    found = world.personas()
    found["qa_lead_b"] = UserFactory(
        username="qa_lead_b", organisation=world.officer_b.organisation, role=Role.QA_LEAD
    )
    return found


@pytest.mark.parametrize("persona", MATRIX)
def test_who_may_change_which_part_of_a_provider(world, personas, persona):
    provider = ProviderFactory(organisation=world.provider_x.organisation, name="Provider X")
    user = personas[persona]
    assert (
        permissions.can_change_registration(user, provider),
        permissions.can_change_contact(user, provider),
        permissions.can_change_offer(user, provider),
        permissions.can_add_site(user, provider),
        permissions.can_change_standing(user),
        permissions.can_change_relationship(user),
    ) == MATRIX[persona]


def test_the_changeable_fields_are_the_groups_allowed(world):
    provider = ProviderFactory(organisation=world.provider_x.organisation, name="Provider X")
    assert permissions.changeable_provider_fields(world.officer_b, provider) == frozenset()
    assert permissions.changeable_provider_fields(world.officer_a, provider) == frozenset()
    assert permissions.changeable_provider_fields(world.provider_x, provider) == (
        permissions.CONTACT_FIELDS | permissions.OFFER_FIELDS
    )
    assert "name" not in permissions.changeable_provider_fields(world.provider_x, provider)
    assert (
        permissions.changeable_provider_fields(world.qa_lead_a, provider)
        >= permissions.REGISTRATION_FIELDS
    )


def test_a_qa_lead_of_an_la_that_commissions_from_the_provider_may_change_its_registration(
    world, personas
):
    provider = ProviderFactory(
        organisation=world.provider_z.organisation, home_la=world.child_b.home_la
    )
    assert not permissions.can_change_registration(world.qa_lead_a, provider)
    assert permissions.can_change_registration(personas["qa_lead_b"], provider)
    PlacementFactory(
        child=world.child_a,
        provider=world.provider_z.organisation,
        commissioning_la=world.child_a.home_la,
    )
    assert permissions.can_change_registration(world.qa_lead_a, provider)
