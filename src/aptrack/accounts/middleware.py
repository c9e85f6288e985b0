"""Django's authentication middleware, handing the backend the user the session was read with
(accounts/sessions.py) so it is not read a second time. Django's ``auth.get_user`` still does all
its checks: the backend the user signed in with, that they may sign in, and the session hash."""

from typing import Any

from django.contrib import auth
from django.contrib.auth.middleware import (
    AuthenticationMiddleware as DjangoAuthenticationMiddleware,
)
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from aptrack.accounts.backends import read_with_session


def get_user(request: HttpRequest) -> Any:
    if not hasattr(request, "_cached_user"):
        session = request.session
        session.get(auth.SESSION_KEY)  # reads the session, and the user with it
        with read_with_session(getattr(session, "user_read_with_it", None)):
            request._cached_user = auth.get_user(request)  # type: ignore[attr-defined]
    return request._cached_user  # type: ignore[attr-defined]


class AuthenticationMiddleware(DjangoAuthenticationMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: get_user(request))  # type: ignore[assignment]
