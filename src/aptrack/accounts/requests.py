"""The request type of pages behind sign-in: its `user` is a signed-in `User`, never the
anonymous one, so permissions and selectors can take `user: User`."""

from django.http import HttpRequest

from aptrack.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User
