"""Sessions are read with one written-out statement; they must behave as Django's own store."""

import datetime as dt

import pytest
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from aptrack.accounts.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_a_saved_session_reads_back_in_one_query(django_assert_num_queries):
    store = SessionStore()
    store["_auth_user_id"] = "42"
    store["nested"] = {"a": [1, 2]}
    store.save()
    with django_assert_num_queries(1):
        read = SessionStore(store.session_key).load()
    assert read == DjangoStore(store.session_key).load() == {"_auth_user_id": "42", "nested": {"a": [1, 2]}}


def test_an_expired_session_is_not_read():
    store = SessionStore()
    store["_auth_user_id"] = "42"
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
    from aptrack.accounts.tests.factories import UserFactory

    assert settings.SESSION_ENGINE == "aptrack.accounts.sessions"
    user = UserFactory()
    client.force_login(user)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert SessionStore(key).load()["_auth_user_id"] == str(user.pk)
    client.logout()
    assert SessionStore(key).load() == {}
