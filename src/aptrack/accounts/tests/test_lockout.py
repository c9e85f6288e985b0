"""Sign-in is refused to an account guessed at from many addresses, and to an address trying one
password against many accounts, as well as to one account from one address; every refusal is
audited."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from aptrack.accounts.lockout import (
    REASON_ACCOUNT,
    REASON_ACCOUNT_AND_ADDRESS,
    REASON_ADDRESS,
    client_address,
)
from aptrack.accounts.tests.factories import PASSWORD, UserFactory
from aptrack.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def sign_in(client, username, password, address):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_failures_from_rotating_addresses_lock_the_account(client, settings):
    user = UserFactory()
    for n in range(settings.APTRACK_ACCOUNT_FAILURE_LIMIT):
        # Fewer failures from each address than would lock the account from that address.
        response = sign_in(client, user.username, "wrong", f"203.0.113.{n // 2}")
        assert response.status_code in (200, 429)
    response = sign_in(client, user.username, PASSWORD, "198.51.100.7")
    assert response.status_code == 429 and "Your account is locked" in response.content.decode()
    refused = AuditEvent.objects.filter(
        action=AuditAction.LOCKED_OUT, object_id=str(user.pk)
    ).last()
    assert refused.changes["address"] == "198.51.100.7"
    assert refused.changes["reasons"] == [REASON_ACCOUNT]


def test_one_password_sprayed_across_accounts_locks_the_address(client, settings):
    users = [UserFactory() for _ in range(settings.APTRACK_ADDRESS_ACCOUNT_LIMIT + 1)]
    for user in users[:-1]:
        sign_in(client, user.username, "Winter2026!", "192.0.2.50")
    response = sign_in(client, users[-1].username, PASSWORD, "192.0.2.50")
    assert response.status_code == 429
    refused = AuditEvent.objects.filter(action=AuditAction.LOCKED_OUT).last()
    assert refused.object_id == str(users[-1].pk)
    assert refused.changes["reasons"] == [REASON_ADDRESS] and refused.actor is None
    # The accounts themselves are not locked: their owners sign in from their own addresses.
    assert sign_in(client, users[0].username, PASSWORD, "192.0.2.51").status_code == 302


def test_colleagues_mistyping_behind_one_address_do_not_lock_the_office(client, settings):
    users = [UserFactory() for _ in range(settings.APTRACK_ADDRESS_ACCOUNT_LIMIT - 1)]
    for user in users:
        for _ in range(2):
            sign_in(client, user.username, "wrong", "192.0.2.9")
    colleague = UserFactory()
    assert sign_in(client, colleague.username, PASSWORD, "192.0.2.9").status_code == 302
    assert not AuditEvent.objects.filter(action=AuditAction.LOCKED_OUT).exists()


def test_repeated_failures_from_one_address_lock_and_are_audited_each_time(client, settings):
    user = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, user.username, "wrong", "192.0.2.1")
    assert sign_in(client, user.username, PASSWORD, "192.0.2.1").status_code == 429
    refusals = AuditEvent.objects.filter(action=AuditAction.LOCKED_OUT, object_id=str(user.pk))
    assert refusals.count() == 2  # the failure that locked it, and the refused right password
    assert refusals.last().changes["reasons"] == [REASON_ACCOUNT_AND_ADDRESS]
    assert refusals.last().object_label == user.username
    # Another address is not locked out of the account until the account-wide limit.
    assert sign_in(client, user.username, PASSWORD, "192.0.2.2").status_code == 302


def test_an_unknown_account_name_is_audited_as_typed(client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "nobody-here", "wrong", "192.0.2.3")
    refused = AuditEvent.objects.get(action=AuditAction.LOCKED_OUT)
    assert refused.object_id == "" and refused.object_label == "nobody-here"


def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.4"
    )
    settings.SECURE_PROXY_SSL_HEADER = None
    assert client_address(request) == "10.0.0.1"
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client_address(request) == "192.0.2.4"
