"""Sessions are read with one written-out statement that brings their user; they must behave as
Django's own store, and a page must still check everything Django's authentication checks."""

import datetime as dt

import pytest
from django.utils import timezone

from aptrack.accounts.models import Session
from aptrack.accounts.sessions import SessionStore
from aptrack.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_saved_session_reads_back_in_one_query(django_assert_num_queries):
    user = UserFactory()
    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store["nested"] = {"a": [1, 2]}
    store.save()
    with django_assert_num_queries(1):
        read = SessionStore(store.session_key).load()
    assert read == {"_auth_user_id": str(user.pk), "nested": {"a": [1, 2]}}
    assert Session.objects.get(session_key=store.session_key).get_decoded() == read


def test_an_expired_session_is_not_read():
    store = SessionStore()
    store["_auth_user_id"] = str(UserFactory().pk)
    store.save()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    again = SessionStore(store.session_key)
    assert again.load() == {}
    assert again.session_key is None  # as Django's store: a new key is made if it is saved


def test_an_unknown_key_is_an_empty_session():
    store = SessionStore("x" * 32)
    assert store.load() == {} and store.session_key is None


def test_signing_in_and_out_goes_through_this_store(client, settings):
    assert settings.SESSION_ENGINE == "aptrack.accounts.sessions"
    user = UserFactory()
    client.force_login(user)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert SessionStore(key).load()["_auth_user_id"] == str(user.pk)
    client.logout()
    assert SessionStore(key).load() == {}


def test_the_session_names_its_user_and_a_page_reads_both_at_once(client, world, django_assert_num_queries):
    client.force_login(world.officer_a)
    key = client.cookies["sessionid"].value
    assert Session.objects.get(session_key=key).user_id == world.officer_a.pk
    client.get("/")  # the first page may renew the session
    with django_assert_num_queries(3):  # one for the session, its user, their organisation and
        response = client.get("/")      # LA; two for the home page's own counts
    assert response.status_code == 200 and response.wsgi_request.user == world.officer_a
    assert response.wsgi_request.user.organisation.local_authority == world.officer_a.organisation.local_authority


def test_deleting_a_user_signs_them_out_everywhere(client, world):
    user = UserFactory()
    client.force_login(user)
    key = client.cookies["sessionid"].value
    user.delete()
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get("/").status_code == 302


def test_a_deactivated_user_is_signed_out_though_read_with_the_session(client, world):
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
