"""Passwords are checked by Django's validators (at least 12 characters), the demo logins still
pass them, and sessions end after 30 idle minutes unless SESSION_MINUTES says otherwise."""

import runpy

import pytest
from django.contrib.auth.password_validation import validate_password

from aptrack.accounts.models import User
from aptrack.accounts.services import UserInvalid, create_user
from aptrack.config import settings as settings_module
from aptrack.organisations.tests.factories import OrganisationFactory, la
from aptrack.synthetic.services import DEMO_PASSWORD, DEMO_USERS

pytestmark = pytest.mark.django_db


def _council():
    return OrganisationFactory(kind="LOCAL_AUTHORITY", local_authority=la("838"))


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("eleven-char", "at least 12 characters"),
        ("382910475628", "entirely numeric"),
        ("priya.sharma1", "too similar"),
        ("password1234", "too common"),
    ],
)
def test_a_weak_password_is_refused_with_the_reason(password, reason):
    with pytest.raises(UserInvalid, match=reason):
        create_user(
            username="priya.sharma",
            password=password,
            organisation=_council(),
            role="LA_OFFICER",
            first_name="Priya",
            last_name="Sharma",
        )
    assert not User.objects.filter(username="priya.sharma").exists()


def test_a_password_of_twelve_or_more_unguessable_characters_is_accepted():
    user = create_user(
        username="priya.sharma",
        password="kettle-orbit-lantern",
        organisation=_council(),
        role="LA_OFFICER",
    )
    assert user.check_password("kettle-orbit-lantern")


def test_every_demo_login_password_passes_the_validators():
    for spec in DEMO_USERS:
        person = User(
            username=spec.username,
            first_name=spec.first_name,
            last_name=spec.last_name,
            email=f"{spec.username}@example.org",
        )
        validate_password(DEMO_PASSWORD, user=person)  # raises if refused


def test_sessions_end_after_thirty_idle_minutes_unless_configured(monkeypatch):
    monkeypatch.delenv("SESSION_MINUTES", raising=False)
    assert runpy.run_path(settings_module.__file__)["SESSION_COOKIE_AGE"] == 30 * 60
    monkeypatch.setenv("SESSION_MINUTES", "15")
    assert runpy.run_path(settings_module.__file__)["SESSION_COOKIE_AGE"] == 15 * 60
