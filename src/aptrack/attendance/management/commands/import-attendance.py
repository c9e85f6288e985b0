"""Import a provider's attendance marks CSV through the same checks as the upload page."""

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from aptrack.accounts.models import User
from aptrack.attendance import services
from aptrack.attendance.models import MarkChannel
from aptrack.providers import selectors as provider_selectors
from aptrack.providers.models import Provider

FORMAT = (
    "FILE is a CSV with a header row naming the columns UPN, Date, Session, Code, Minutes late, "
    "Comment (the last two optional): one row per child per session; Date as YYYY-MM-DD or "
    "DD/MM/YYYY; Session AM or PM; Code one of the attendance codes in force since August 2024; "
    "Minutes late only with L or U. UTF-8 (with or without BOM) or Windows-1252, CRLF or LF. "
    "Any bad row and nothing is imported: every problem is listed by file, row and column, and "
    "the command exits with status 1."
)


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2026-11-23") from error


class Command(BaseCommand):
    help = "Import attendance marks for one provider's children. " + FORMAT

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path, help="The marks CSV")
        whose = parser.add_mutually_exclusive_group(required=True)
        whose.add_argument(
            "--provider-id", type=int, help="The provider's id on the provider register"
        )
        whose.add_argument("--provider-urn", help="The provider's URN (registered providers)")
        whose.add_argument("--ukprn", help="The provider's UKPRN")
        parser.add_argument(
            "--by", help="Username of the person importing, recorded with the marks"
        )
        parser.add_argument(
            "--today",
            type=_date,
            default=None,
            help="The date marks may not be after, YYYY-MM-DD (default: today's local date)",
        )

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        provider = self._provider(options)
        actor = None
        if options["by"]:
            actor = User.objects.filter(username=options["by"]).first()
            if actor is None:
                raise CommandError(f"No user is called {options['by']}")
        with file.open("rb") as stream:
            try:
                report = services.record_marks(
                    provider=provider.organisation,
                    marks=services.MarksFile(stream=stream, name=file.name),
                    actor=actor,
                    channel=MarkChannel.COMMAND,
                    at=timezone.now(),
                    today=options["today"] or timezone.localdate(),
                    source=file.name,
                )
            except services.MarksRejected as rejected:
                for line in rejected.report.lines():
                    self.stdout.write(line)
                raise CommandError(f"{file.name}: nothing was imported") from None
        for line in report.lines():
            self.stdout.write(self.style.SUCCESS(line))

    def _provider(self, options: dict[str, Any]) -> Provider:
        found, described = provider_selectors.find_provider(
            provider_id=options["provider_id"], urn=options["provider_urn"], ukprn=options["ukprn"]
        )
        if found is None:
            raise CommandError(f"No provider on the register has {described}")
        return found
