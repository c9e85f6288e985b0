"""Headers Django's SecurityMiddleware does not set, and renewing sessions while they are used."""

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
        )
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            # Pages with children's data must not sit in shared caches or the back button.
            response.setdefault("Cache-Control", "no-store")
        return response


class SessionRenewalMiddleware:
    """Keep a signed-in session alive while it is used, writing it at most once a minute.

    Sessions end after ``SESSION_COOKIE_AGE`` of inactivity; saving the session on every request
    would keep that exact, at the cost of a database write for every page. Renewing it when a
    minute has passed since the last renewal keeps the idle limit to within a minute and saves
    the write on nearly every page.
    """

    KEY = "_renewed_at"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if not session.is_empty():
            now = int(time.time())
            if now - int(session.get(self.KEY, 0)) >= settings.APTRACK_SESSION_RENEW_SECONDS:
                session[self.KEY] = (
                    now  # marks the session modified, so it is saved and its expiry moves
                )
        return self.get_response(request)
