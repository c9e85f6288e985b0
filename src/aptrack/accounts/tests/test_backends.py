"""Signed-in users are loaded with one written-out statement; it must give what the ORM gives."""

import pytest

from aptrack.accounts.backends import UserWithOrganisationBackend, load_user
from aptrack.accounts.models import User
from aptrack.accounts.tests.factories import UserFactory
from aptrack.organisations.tests.factories import OrganisationFactory, la

pytestmark = pytest.mark.django_db


def _fields(instance):
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def test_user_organisation_and_la_are_what_the_orm_loads(django_assert_num_queries):
    council = OrganisationFactory(kind="LOCAL_AUTHORITY", local_authority=la("838"))
    made = UserFactory(organisation=council, role="LA_OFFICER")
    made.last_login = made.date_joined
    made.save()
    expected = User.objects.select_related("organisation__local_authority").get(pk=made.pk)
    with django_assert_num_queries(1):
        user = load_user(made.pk)
        organisation = user.organisation
        authority = organisation.local_authority
    assert _fields(user) == _fields(expected)
    assert _fields(organisation) == _fields(expected.organisation)
    assert authority is not None and _fields(authority) == _fields(expected.organisation.local_authority)
    assert user.last_login == expected.last_login and user.date_joined.tzinfo is not None
    assert user.is_active is True and user._state.adding is False
    user.job_title = "Changed"
    user.save()  # an instance made this way saves like any other
    assert User.objects.get(pk=made.pk).job_title == "Changed"


def test_a_user_with_no_organisation_loads_with_none(django_assert_num_queries):
    made = UserFactory(organisation=None, role="")
    with django_assert_num_queries(1):
        user = load_user(made.pk)
        assert user.organisation is None


def test_unknown_inactive_and_malformed_ids_are_nobody():
    backend = UserWithOrganisationBackend()
    assert load_user(987654321) is None
    assert load_user("not-a-number") is None
    assert backend.get_user(UserFactory(is_active=False).pk) is None
    assert backend.get_user(UserFactory().pk) is not None
