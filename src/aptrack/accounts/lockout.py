"""Who may try to sign in: django-axes, with two rules added to its own.

django-axes locks one account from one address after ``AXES_FAILURE_LIMIT`` failures. On its
own that lets an attacker guess one account's password from many addresses, four guesses each,
or try one common password against every account from one address. So, within the same
cool-off window (``AXES_COOLOFF_TIME``), sign-in is also refused:

- for an account that has failed ``APTRACK_ACCOUNT_FAILURE_LIMIT`` times from any addresses
  (guessing from rotating addresses), and
- from an address whose failures have named ``APTRACK_ADDRESS_ACCOUNT_LIMIT`` different
  accounts (password spraying). Distinct accounts, not failures, so that one office behind one
  address is not locked out by a colleague mistyping their own password.

Every refusal is audited (see `record_lockout`). The failures are axes's own ``AccessAttempt``
rows (one per username, address and browser), so ``axes_reset`` and the admin clear them.
"""

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone

from aptrack.accounts.models import User
from aptrack.audit.services import record_sign_in_refused

REASON_ACCOUNT_AND_ADDRESS = "account from this address"
REASON_ACCOUNT = "account from any address"
REASON_ADDRESS = "address tried too many accounts"


def client_address(request: HttpRequest) -> str | None:
    """The address a sign-in came from. Behind a proxy (BEHIND_PROXY) every request's
    REMOTE_ADDR is the proxy's, which would lock out everyone at once, so the address is the
    last one the proxy appended to X-Forwarded-For (earlier entries are the client's to forge)."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.SECURE_PROXY_SSL_HEADER and forwarded:
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR")


def _recent_failures(request: HttpRequest) -> Any:
    return AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))


def account_failures(request: HttpRequest, username: str | None) -> int:
    """Failed sign-ins to one account from every address within the cool-off window."""
    if not username:
        return 0
    found = (
        _recent_failures(request)
        .filter(username=username)
        .aggregate(total=Sum("failures_since_start"))
    )
    return found["total"] or 0


def address_accounts_failed(request: HttpRequest, address: str | None) -> int:
    """How many different accounts failed to sign in from one address within the window."""
    if not address:
        return 0
    return (
        _recent_failures(request).filter(ip_address=address).values("username").distinct().count()
    )


def lockout_reasons(request: HttpRequest, credentials: dict[str, Any] | None) -> list[str]:
    """Which rules refuse this sign-in now, in the order a person reading the audit wants them."""
    username = get_client_username(request, credentials)
    address = request.axes_ip_address  # type: ignore[attr-defined]
    reasons = []
    if AxesDatabaseHandler.get_failures(_HANDLER, request, credentials) >= get_failure_limit(
        request, credentials
    ):
        reasons.append(REASON_ACCOUNT_AND_ADDRESS)
    if account_failures(request, username) >= settings.APTRACK_ACCOUNT_FAILURE_LIMIT:
        reasons.append(REASON_ACCOUNT)
    if address_accounts_failed(request, address) >= settings.APTRACK_ADDRESS_ACCOUNT_LIMIT:
        reasons.append(REASON_ADDRESS)
    return reasons


class AccountAndAddressLockoutHandler(AxesDatabaseHandler):
    """axes's database handler, counting a sign-in as locked when any of the three rules says so.

    axes compares `get_failures` with `AXES_FAILURE_LIMIT` both before a sign-in and after a
    failure, so reporting the limit when one of our rules trips locks in both places."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        own = super().get_failures(request, credentials)
        limit = get_failure_limit(request, credentials)
        if own < limit and lockout_reasons(request, credentials):
            return limit
        return own

    def user_login_failed(
        self, sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
    ) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and getattr(request, "axes_locked_out", False):
            record_lockout(request, credentials)


_HANDLER = AccountAndAddressLockoutHandler()


def record_lockout(request: HttpRequest, credentials: dict[str, Any] | None) -> None:
    """Audit a refused sign-in: the account named, the address, and which rules refused it."""
    username = get_client_username(request, credentials) or ""
    record_sign_in_refused(
        at=timezone.now(),
        username=username,
        user=User.objects.filter(username=username).first(),
        address=request.axes_ip_address or "",  # type: ignore[attr-defined]
        reasons=lockout_reasons(request, credentials),
        where=request.path,
    )
