"""`aptrack grant-app-role ROLE`: give the application's PostgreSQL role its rights, with only
SELECT and INSERT on the audit trail (see aptrack.audit.database_roles and the README)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aptrack.audit.database_roles import RoleNotAllowed, grant_application_role


class Command(BaseCommand):
    help = (
        "Grant the application role (default aptrack_app) the rights aptrack needs, and only SELECT "
        "and INSERT on the audit table. Run as the owner role (MIGRATE_DATABASE_URL) after migrate."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "role", nargs="?", default="aptrack_app", help="the role DATABASE_URL connects as"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        role = options["role"]
        try:
            created = grant_application_role(role=role)
        except RoleNotAllowed as error:
            raise CommandError(str(error)) from error
        if created:
            self.stdout.write(
                f"Created role {role} without a login: give it one with "
                f"ALTER ROLE {role} LOGIN PASSWORD '...'; then point DATABASE_URL at it."
            )
        self.stdout.write(
            f"{role} may read and write aptrack's tables, and only read and append to the audit trail."
        )
