"""`aptrack backup FILE`: the whole database to one file (see aptrack.dataprotection.backup)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aptrack.dataprotection.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database to FILE: pg_dump's custom format on PostgreSQL, the SQLite backup API on SQLite."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            size = backup(options["file"])
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backed up the database to {options['file']} ({size:,} bytes).")
