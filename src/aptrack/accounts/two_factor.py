"""Two-factor sign-in for local accounts: a time-based code (TOTP) from an authenticator app,
kept by django-otp.

After the password, a person with a confirmed device enters its code (`verify`); a person in
`TWO_FACTOR_ROLES` without one sets one up before anything else (`set_up`) wherever
``APTRACK_REQUIRE_2FA`` is on. It defaults on in production and off with DEBUG and in tests, so
the demo's logins work with the password alone; anyone may still set one up at
/accounts/security-code/set-up/. ``aptrack reset-two-factor USERNAME`` removes a lost device; the user sets up a new one at
their next sign-in.
"""

import base64
import datetime as dt
import io
from collections.abc import Callable
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django_otp.middleware import is_verified as otp_is_verified
from django_otp.plugins.otp_totp.models import TOTPDevice

from aptrack.accounts import single_sign_on
from aptrack.accounts.models import User
from aptrack.accounts.roles import TWO_FACTOR_ROLES
from aptrack.audit.models import AuditAction, Channel
from aptrack.audit.services import record_event

DEVICE_NAME = "Authenticator app"
CODE_WRONG = "Enter the 6-digit code your authenticator app shows now"


def two_factor_required(user: User) -> bool:
    return settings.APTRACK_REQUIRE_2FA and user.role in TWO_FACTOR_ROLES


def is_verified(user: User) -> bool:
    """Whether this session's sign-in passed the second factor (django-otp's OTPMiddleware
    says so on the request's user)."""
    return bool(otp_is_verified(user))


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def enrolment_device(*, user: User) -> TOTPDevice:
    """The unconfirmed device a person is setting up: the same secret until they confirm it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def enrolment_secret(device: TOTPDevice) -> str:
    """The secret in the base32 an authenticator app accepts when typed in, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def enrolment_qr_code(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an SVG QR code in a data: URI (the CSP allows data:
    images, and nothing here needs a script or an inline style)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def two_factor_confirm(*, device: TOTPDevice, code: str) -> bool:
    """Confirm a device being set up when the code is right; older devices go."""
    if not device.verify_token(code):
        return False
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True


def two_factor_reset(*, user: User, actor: object, at: dt.datetime) -> int:
    """Remove a user's devices (a lost phone); audited. Returns how many went."""
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    record_event(
        actor=actor,
        at=at,
        action=AuditAction.UPDATED,
        channel=Channel.COMMAND,
        instance=user,
        child_id=None,
        where="reset-two-factor",
        changes={"two_factor_devices": {"old": removed, "new": 0}},
    )
    return removed


class TwoFactorMiddleware:
    """Send a signed-in person who owes a second factor to enter or set it up, before any page.

    Sits after django-otp's OTPMiddleware, which says whether this session's sign-in was
    verified. Single sign-on sessions pass: the council's provider asks for its own second
    factor. Sessions made by ``Client.force_login`` in tests carry no device, so they pass
    unless the test turns APTRACK_REQUIRE_2FA on or gives the user a device."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not is_verified(user)
            and request.session.get(BACKEND_SESSION_KEY) != single_sign_on.BACKEND
            and not self._exempt(request.path)
        ):
            if confirmed_device(user) is not None:
                return self._send(request, "accounts:two_factor_verify")
            if two_factor_required(user):
                return self._send(request, "accounts:two_factor_set_up")
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        exempt = (
            "accounts:two_factor_verify",
            "accounts:two_factor_set_up",
            "accounts:logout",
            "accounts:login",
        )
        return path in {reverse(name) for name in exempt} or path.startswith(settings.STATIC_URL)

    @staticmethod
    def _send(request: HttpRequest, name: str) -> HttpResponse:
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        return HttpResponseRedirect(reverse(name) + (f"?{query}" if query else ""))
