"""Import a GIAS establishment extract (edubasealldata CSV): establishments and AP providers."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from aptrack.providers import gias


class Command(BaseCommand):
    help = (
        "Import FILE, a GIAS 'all establishment data' CSV (edubasealldata<date>.csv): upsert "
        "establishments by URN and register AP establishments as providers. Any bad row and "
        "nothing is written."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path, help="The GIAS CSV, as downloaded")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check and report what would change; write nothing",
        )

    def handle(self, *args: Any, file: Path, dry_run: bool, **options: Any) -> None:
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        with tqdm(
            total=file.stat().st_size,
            unit="B",
            unit_scale=True,
            desc=file.name,
            file=sys.stderr,
            disable=None if options["verbosity"] > 0 else True,  # None: only on a terminal
        ) as bar:
            try:
                report = gias.import_establishments(
                    path=file, at=timezone.now(), dry_run=dry_run, progress=bar.update
                )
            except gias.GiasFileInvalid as error:
                raise CommandError("\n".join([str(error), *error.listing()])) from error
        for line in report.lines():
            self.stdout.write(line)
