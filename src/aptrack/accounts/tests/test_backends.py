"""A signed-in page loads its user with their organisation and LA in one query, and Django's
checks still sign out anyone who should no longer be signed in."""

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from aptrack.accounts.backends import UserWithOrganisationBackend
from aptrack.accounts.tests.factories import UserFactory
from aptrack.organisations.tests.factories import OrganisationFactory, la

pytestmark = pytest.mark.django_db


def test_the_user_comes_with_their_organisation_and_la_in_one_query(django_assert_num_queries):
    council = OrganisationFactory(kind="LOCAL_AUTHORITY", local_authority=la("838"))
    made = UserFactory(organisation=council, role="LA_OFFICER")
    with django_assert_num_queries(1):
        user = UserWithOrganisationBackend().get_user(made.pk)
        assert user.organisation.local_authority.code == "838"


def test_unknown_and_inactive_users_are_nobody():
    backend = UserWithOrganisationBackend()
    assert backend.get_user(987654321) is None
    assert backend.get_user(UserFactory(is_active=False).pk) is None
    assert backend.get_user(UserFactory().pk) is not None


def test_signing_in_and_out_uses_djangos_sessions(client, settings):
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    user = UserFactory()
    client.force_login(user)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert Session.objects.get(session_key=key).get_decoded()["_auth_user_id"] == str(user.pk)
    client.logout()
    assert not Session.objects.filter(session_key=key).exists()


def test_a_signed_in_page_reads_the_user_once_with_their_organisation(client, world):
    client.force_login(world.officer_a)
    response = client.get("/")
    assert response.status_code == 200 and response.wsgi_request.user == world.officer_a
    assert (
        response.wsgi_request.user.organisation.local_authority
        == world.officer_a.organisation.local_authority
    )


def test_signing_out_ends_the_session_for_every_later_request(client, world):
    client.force_login(world.officer_a)
    cookie = client.cookies["sessionid"].value
    client.post(reverse("accounts:logout"))
    client.cookies["sessionid"] = cookie  # as a copied cookie would be sent again
    response = client.get("/children/")
    assert response.status_code == 302 and "sign-in" in response.url


def test_a_deleted_user_is_signed_out(client):
    user = UserFactory()
    client.force_login(user)
    user.delete()
    assert client.get("/").status_code == 302


def test_a_deactivated_user_is_signed_out(client, world):
    client.force_login(world.officer_a)
    type(world.officer_a).objects.filter(pk=world.officer_a.pk).update(is_active=False)
    response = client.get("/children/")
    assert response.status_code == 302 and "sign-in" in response.url


def test_a_changed_password_ends_other_sessions(client, world):
    client.force_login(world.officer_a)
    world.officer_a.set_password("a new and different passphrase")
    world.officer_a.save()
    response = client.get("/children/")  # the session hash no longer matches
    assert response.status_code == 302 and "sign-in" in response.url
