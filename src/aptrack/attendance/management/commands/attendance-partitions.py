"""`aptrack attendance-partitions [--today YYYY-MM-DD] [--year YYYY ...]`: make the marks
table's partitions by academic year (PostgreSQL; ADR 0010)."""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from aptrack.attendance import partitions


class Command(BaseCommand):
    help = (
        "Make the attendance marks' partitions on PostgreSQL: this academic year's, the next's, "
        "any --year, and one for every year whose marks are in the default partition, moving "
        "those marks into it (a short lock on the marks and their versions). Lists the "
        "partitions. Does nothing on SQLite. Safe to run at any time, e.g. each August."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            default=None,
            help="YYYY-MM-DD (default: today's local date)",
        )
        parser.add_argument(
            "--year",
            type=int,
            action="append",
            default=[],
            help="Also the academic year beginning in September of YEAR (repeatable)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not partitions.is_partitioned():
            self.stdout.write("The marks table is not partitioned here (SQLite): nothing to do.")
            return
        today = options["today"] or timezone.localdate()
        year = partitions.academic_year(today)
        wanted = {year, year + 1, *options["year"], *partitions.years_in_default()}
        made = partitions.ensure_years(wanted, move=True)
        for name in made:
            self.stdout.write(f"Made {name}.")
        self.stdout.write(f"{'Academic year':<14} {'Partition':<40} {'Marks (estimate)':>16}")
        for partition in partitions.list_partitions():
            self.stdout.write(f"{partition.label:<14} {partition.name:<40} {partition.rows:>16,}")
