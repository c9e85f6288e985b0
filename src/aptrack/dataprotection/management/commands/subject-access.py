"""`aptrack subject-access CHILD_ID --format json|pdf --output FILE`: one child's subject-access
export (see aptrack.dataprotection.subject_access), recorded in the audit trail."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from aptrack.audit.models import Channel
from aptrack.children.models import Child
from aptrack.dataprotection.subject_access import FORMATS, export_child

NO_SUCH_CHILD = "No child with id {child_id}"


class Command(BaseCommand):
    help = "Write everything held about one child (record, placements, marks, reviews, outcomes, audit) to FILE."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("child_id", type=int)
        parser.add_argument("--format", choices=FORMATS, default="json")
        parser.add_argument("--output", type=Path, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        child = Child.objects.filter(pk=options["child_id"]).first()
        if child is None:
            raise CommandError(NO_SUCH_CHILD.format(child_id=options["child_id"]))
        content = export_child(
            child=child,
            fmt=options["format"],
            actor=None,
            at=timezone.now(),
            channel=Channel.COMMAND,
            where="aptrack subject-access",
        )
        try:
            options["output"].write_bytes(content)
        except OSError as error:
            raise CommandError(f"Could not write {options['output']}: {error}") from error
        self.stdout.write(
            f"Wrote child {child.pk}'s subject-access export ({options['format']}) to {options['output']}."
        )
