"""`aptrack restore FILE [--force]`: replace the database with a backup made by `aptrack backup`."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aptrack.dataprotection.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore the database from FILE. Refuses a database that already holds data unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--force", action="store_true", help="replace a database that already holds data"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            restore(options["file"], force=options["force"])
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored the database from {options['file']}.")
