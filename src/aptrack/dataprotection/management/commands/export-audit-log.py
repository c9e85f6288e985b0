"""`aptrack export-audit-log --from YYYY-MM-DD --to YYYY-MM-DD [--la CODE] [--output FILE]`: the
audit trail over a date range as CSV, for the data protection officer."""

import datetime as dt
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aptrack.audit.models import Channel
from aptrack.dataprotection.audit_log import BadRange, export_audit_log
from aptrack.organisations.models import LocalAuthority

BAD_DATE = "{option} must be a date as YYYY-MM-DD, not {value!r}"
NO_SUCH_LA = "No local authority with code {code}"


def _date(option: str, value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(BAD_DATE.format(option=option, value=value)) from error


class Command(BaseCommand):
    help = "Write the audit trail between two dates (inclusive, UTC) as CSV; --la limits it to one LA's part."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", required=True)
        parser.add_argument("--to", dest="end", required=True)
        parser.add_argument(
            "--la", help="an LA code such as 838: events about its children or by its staff"
        )
        parser.add_argument("--output", type=Path, help="the CSV file (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        start, end = _date("--from", options["start"]), _date("--to", options["end"])
        la_id = None
        if options["la"]:
            la = LocalAuthority.objects.filter(code=options["la"]).first()
            if la is None:
                raise CommandError(NO_SUCH_LA.format(code=options["la"]))
            la_id = la.pk
        output = options["output"]
        try:
            stream = output.open("w", newline="", encoding="utf-8") if output else sys.stdout
            try:
                count = export_audit_log(
                    start=start,
                    end=end,
                    la_id=la_id,
                    stream=stream,
                    actor=None,
                    channel=Channel.COMMAND,
                    where="aptrack export-audit-log",
                )
            finally:
                if output:
                    stream.close()
        except BadRange as error:
            raise CommandError(str(error)) from error
        except OSError as error:
            raise CommandError(f"Could not write {output}: {error}") from error
        if output:
            self.stdout.write(f"Wrote {count:,} audit events to {output}.")
