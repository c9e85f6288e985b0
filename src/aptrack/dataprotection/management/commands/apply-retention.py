"""`aptrack apply-retention [--dry-run] [--today YYYY-MM-DD]`: apply the retention schedule."""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from aptrack.dataprotection.retention import apply_retention

BAD_DATE = "--today must be a date as YYYY-MM-DD, not {value!r}"


class Command(BaseCommand):
    help = (
        "Delete attendance and anonymise case records the retention schedule (APTRACK_RETENTION) says "
        "are due, and report how many of each. --dry-run counts them and changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="report what is due; change nothing"
        )
        parser.add_argument("--today", help="the date to apply the schedule on (default today)")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError as error:
                raise CommandError(BAD_DATE.format(value=options["today"])) from error
        report = apply_retention(today=today, now=timezone.now(), dry_run=options["dry_run"])
        verb = "Due" if report.dry_run else "Done"
        self.stdout.write(
            f"Retention schedule on {today.isoformat()}{' (dry run: nothing changed)' if report.dry_run else ''}:"
        )
        if not any(report.counts.values()):
            self.stdout.write("  nothing is due.")
        for kind, count in report.counts.items():
            if count:
                self.stdout.write(f"  {verb}: {count:,} {kind}")
