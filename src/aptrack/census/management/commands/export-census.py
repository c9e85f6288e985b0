"""Write an LA's AP census file, or its error report, from the placements aptrack holds."""

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from aptrack.accounts.models import User
from aptrack.audit.models import Channel
from aptrack.census import dates, services
from aptrack.census.items import ITEMS
from aptrack.organisations.models import LocalAuthority

ITEM_HELP = ", ".join(item.header for item in ITEMS)
HELP = (
    "Write the AP census return of one LA as CSV (UTF-8, a header row of DfE item names, dates "
    "as YYYY-MM-DD, one row per pupil and placement): " + ITEM_HELP + ". Item names follow the "
    "DfE AP census guide and data-items page (see aptrack/census/items.py for the sources). "
    "Scope: placements the LA commissioned running on census day, pupils aged 2 to 18, not at "
    "a PRU, AP academy or free school, or hospital school. If any row has an error, no file is "
    "written: the report goes to stderr and the command exits with status 1. --errors-report "
    "writes the error report as CSV instead, and exits 0."
)


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2027-01-21") from error


class Command(BaseCommand):
    help = HELP

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--la", required=True, help="The LA's 3-digit DfE code, e.g. 838")
        parser.add_argument(
            "--date",
            type=_date,
            default=None,
            help="Census day, YYYY-MM-DD (default: the third Thursday of January of this academic year)",
        )
        parser.add_argument(
            "--output", type=Path, default=None, help="Write to FILE (default: stdout)"
        )
        parser.add_argument(
            "--errors-report",
            action="store_true",
            help="Write the error report (CSV: pupil, item, problem) instead of the census file",
        )
        parser.add_argument("--by", help="Username of the person exporting, for the audit trail")
        parser.add_argument(
            "--today",
            type=_date,
            default=None,
            help="Today's date, YYYY-MM-DD (default: the local date)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        la = LocalAuthority.objects.filter(code=options["la"]).first()
        if la is None:
            raise CommandError(f"No local authority has the code {options['la']}")
        actor = None
        if options["by"]:
            actor = User.objects.filter(username=options["by"]).first()
            if actor is None:
                raise CommandError(f"No user is called {options['by']}")
        today = options["today"] or timezone.localdate()
        census_date = options["date"] or dates.default_census_date(today)
        census = services.build_census(la=la, census_date=census_date, today=today)
        export = (
            services.export_error_report if options["errors_report"] else services.export_census
        )
        if census.has_errors and not options["errors_report"]:
            for issue in census.issues:
                row = issue.row
                kind = "error" if issue.is_error else "warning"
                sys.stderr.write(
                    f"{kind}: {row['Surname']}, {row['Forename']} (UPN {row['UPN'] or 'none'}), "
                    f"{row.provider_name} from {row['EntryDate']}: {issue.item}: {issue.message}\n"
                )
            raise CommandError(
                f"{la.name}, census day {census_date.isoformat()}: {len(census.errors)} errors in "
                f"{len(census.rows)} rows; no census file was written. Fix them, or pass "
                "--errors-report for the report as CSV."
            )
        output = options["output"]
        # The command's stdout (an OutputWrapper) writes through to a text stream.
        stream = (
            output.open("w", encoding="utf-8", newline="") if output else cast(TextIO, self.stdout)
        )
        try:
            export(
                census=census,
                stream=stream,
                actor=actor,
                at=timezone.now(),
                channel=Channel.COMMAND,
            )
        finally:
            if output:
                stream.close()
        if output:
            what = "error report" if options["errors_report"] else "census file"
            sys.stderr.write(
                f"{la.name}, census day {census_date.isoformat()}: {what} of {len(census.rows)} rows "
                f"({census.pupil_count} pupils) written to {output}\n"
            )
