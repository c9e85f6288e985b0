"""Issue an API token for an organisation's system (shown once)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from aptrack.accounts import services
from aptrack.accounts.models import User


class Command(BaseCommand):
    help = "Issue an API token that acts as USERNAME (a service user of one organisation)"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument("name", help="What the token is for, e.g. 'Provider MIS'")

    def handle(self, *args: Any, username: str, name: str, **options: Any) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}")
        if not user.organisation_id or not user.role:
            raise CommandError(
                f"User {username!r} has no organisation or role: a token would see nothing"
            )
        _, token = services.issue_api_token(user=user, name=name, at=timezone.now())
        self.stdout.write(f"Token for {username} ({user.get_role_display()}, {user.organisation}):")
        self.stdout.write(token)
        self.stdout.write("Keep it secret: it is not stored and cannot be shown again.")
