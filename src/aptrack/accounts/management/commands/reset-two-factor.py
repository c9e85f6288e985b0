"""Remove a user's authenticator app (a lost phone): they set up a new one at next sign-in."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from aptrack.accounts.models import User
from aptrack.accounts.two_factor import two_factor_reset


class Command(BaseCommand):
    help = "Remove USERNAME's two-factor devices; they set up a new one when they next sign in"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}")
        removed = two_factor_reset(user=user, actor=None, at=timezone.now())
        self.stdout.write(f"Removed {removed} two-factor device(s) for {username}.")
