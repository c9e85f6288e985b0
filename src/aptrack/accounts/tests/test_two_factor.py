"""LA managers, QA leads and analysts set up and then enter a code from an authenticator app after
their password; others may; a lost device is reset from the command line."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from aptrack.accounts.tests.factories import PASSWORD, UserFactory
from aptrack.accounts.two_factor import CODE_WRONG
from aptrack.audit.models import AuditEvent
from aptrack.organisations.tests.factories import OrganisationFactory, la

pytestmark = pytest.mark.django_db


@pytest.fixture
def required(settings):
    settings.APTRACK_REQUIRE_2FA = True


def _user(role):
    council = OrganisationFactory(kind="LOCAL_AUTHORITY", local_authority=la("838"))
    return UserFactory(organisation=council, role=role)


def _code(device, *, offset=0):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def _wait_out_the_throttle(device):
    """django-otp refuses any code for a growing pause after a wrong one; a person would wait."""
    device.refresh_from_db()
    device.throttle_reset()


def _sign_in(client, user):
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client.get(response.url)


def test_a_manager_sets_up_an_authenticator_app_before_any_page(client, required):
    manager = _user("LA_MANAGER")
    response = _sign_in(client, manager)
    assert response.status_code == 302 and response.url.startswith(
        reverse("accounts:two_factor_set_up")
    )
    page = client.get(response.url)
    html = page.content.decode()
    assert re.search(r'<img src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+"', html)
    device = TOTPDevice.objects.get(user=manager, confirmed=False)
    assert (
        "nonce" in page.headers["Content-Security-Policy"]
        and "img-src 'self' data:" in page.headers["Content-Security-Policy"]
    )
    wrong = client.post(response.url, {"code": f"{(int(_code(device)) + 1) % 1_000_000:06d}"})
    assert CODE_WRONG in wrong.content.decode()
    _wait_out_the_throttle(device)
    done = client.post(response.url, {"code": _code(device)})
    assert done.status_code == 302 and done.url == "/"
    assert TOTPDevice.objects.get(user=manager).confirmed
    assert client.get("/").status_code == 200


def test_after_setting_up_every_sign_in_asks_for_the_current_code(client, required):
    analyst = UserFactory(organisation=OrganisationFactory(kind="REGIONAL"), role="ANALYST")
    device = TOTPDevice.objects.create(user=analyst, name="phone", confirmed=True)
    response = _sign_in(client, analyst)
    assert response.url.startswith(reverse("accounts:two_factor_verify"))
    assert client.get("/").status_code == 302  # no page before the code
    refused = client.post(reverse("accounts:two_factor_verify"), {"code": "12345a"})
    assert "numbers only" in refused.content.decode()
    old = client.post(reverse("accounts:two_factor_verify"), {"code": _code(device, offset=-20)})
    assert CODE_WRONG in old.content.decode()
    _wait_out_the_throttle(device)
    passed = client.post(
        reverse("accounts:two_factor_verify"), {"code": _code(device), "next": "/"}
    )
    assert passed.status_code == 302 and passed.url == "/"
    assert client.get("/").status_code == 200


def test_a_code_cannot_be_used_twice(client, required):
    lead = _user("QA_LEAD")
    device = TOTPDevice.objects.create(user=lead, name="phone", confirmed=True)
    _sign_in(client, lead)
    code = _code(device)
    assert client.post(reverse("accounts:two_factor_verify"), {"code": code}).status_code == 302
    client.post(reverse("accounts:logout"))
    _sign_in(client, lead)
    assert (
        CODE_WRONG
        in client.post(reverse("accounts:two_factor_verify"), {"code": code}).content.decode()
    )


def test_an_officer_needs_no_code_but_may_set_one_up(client, required):
    officer = _user("LA_OFFICER")
    assert _sign_in(client, officer).status_code == 200
    page = client.get(reverse("accounts:two_factor_set_up"))
    assert page.status_code == 200 and "Your role needs" not in page.content.decode()
    device = TOTPDevice.objects.get(user=officer)
    assert (
        client.post(reverse("accounts:two_factor_set_up"), {"code": _code(device)}).status_code
        == 302
    )
    client.post(reverse("accounts:logout"))
    assert _sign_in(client, officer).url.startswith(reverse("accounts:two_factor_verify"))


def test_with_two_factor_off_a_manager_without_a_device_signs_in_with_the_password(
    client, settings
):
    settings.APTRACK_REQUIRE_2FA = False
    assert _sign_in(client, _user("LA_MANAGER")).status_code == 200


def test_resetting_removes_the_device_and_is_audited(client, required):
    manager = _user("LA_MANAGER")
    TOTPDevice.objects.create(user=manager, name="lost phone", confirmed=True)
    call_command("reset-two-factor", manager.username)
    assert not TOTPDevice.objects.filter(user=manager).exists()
    assert AuditEvent.objects.filter(object_id=str(manager.pk), where="reset-two-factor").exists()
    assert _sign_in(client, manager).url.startswith(reverse("accounts:two_factor_set_up"))


def test_the_code_is_checked_against_the_clock(client, required, settings):
    manager = _user("LA_MANAGER")
    device = TOTPDevice.objects.create(user=manager, name="phone", confirmed=True, tolerance=0)
    _sign_in(client, manager)
    later = _code(device, offset=10)  # five minutes ahead
    assert (
        CODE_WRONG
        in client.post(reverse("accounts:two_factor_verify"), {"code": later}).content.decode()
    )
