"""List the demo users, their roles and organisations, and the shared password."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from aptrack.synthetic import selectors, services

NO_DEMO_USERS = (
    "There are no demo users. Run `aptrack generate --scale la --seed 1` on a fresh database, "
    "or `aptrack generate --if-empty` to add them to existing data."
)
SITE_URL = "http://127.0.0.1:8000/"


class Command(BaseCommand):
    help = "Print the demo logins (one per role) and their shared password"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--url", default=SITE_URL, help=f"where the site is served (default {SITE_URL})"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        users = selectors.list_demo_users()
        if not users:
            raise CommandError(NO_DEMO_USERS)
        rows = [
            (user.username, user.get_role_display(), str(user.organisation or "")) for user in users
        ]
        headings = ("Username", "Role", "Organisation")
        widths = [max(len(row[i]) for row in [headings, *rows]) for i in range(3)]
        for row in [headings, tuple("-" * width for width in widths), *rows]:
            self.stdout.write(
                "  ".join(
                    cell.ljust(width) for cell, width in zip(row, widths, strict=True)
                ).rstrip()
            )
        self.stdout.write("")
        self.stdout.write(f"Password for every demo user: {services.DEMO_PASSWORD}")
        if settings.APTRACK_REQUIRE_2FA:
            self.stdout.write(
                "LA managers, QA leads and analysts set up an authenticator app at first sign-in."
            )
        else:
            self.stdout.write(
                "Two-factor sign-in is off here (APTRACK_REQUIRE_2FA, off with DEBUG); in production LA "
                "managers, QA leads and analysts set up an authenticator app at first sign-in."
            )
        self.stdout.write(f"Open {options['url']}")
