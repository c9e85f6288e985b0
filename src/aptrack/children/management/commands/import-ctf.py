"""Import a Common Transfer File into an LA's register, through the same door as the upload
page: `--dry-run` prints what would change; without it the file is imported, all or nothing."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from aptrack.accounts.models import User
from aptrack.audit.models import Channel
from aptrack.children import ctf
from aptrack.children.ctf_import import PupilChange, apply_ctf_import, plan_ctf_import
from aptrack.organisations.models import LocalAuthority


def diff_lines(changes: list[PupilChange]) -> list[str]:
    """The dry-run diff, one pupil a block."""
    lines = []
    for change in changes:
        pupil = change.pupil
        lines.append(f"{change.action} {pupil.upn} {pupil.surname}, {pupil.forename}")
        for label, old, new in change.field_rows():
            lines.append(f"    {label}: {'' if old is None else old} -> {new}")
        for label, old, new in change.histories:
            if old != new:
                lines.append(f"    {label}: {old} -> {new} entries")
    return lines


class Command(BaseCommand):
    help = (
        "Import a Common Transfer File (CTF 25, or the version before it) into an LA's register: "
        "children are added or updated by UPN with their basic details and their SEN, FSM, "
        "attendance and school histories. A bad file imports nothing and names the element and "
        "the pupil."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path, help="The CTF XML file")
        parser.add_argument("--la", required=True, help="The importing LA's 3-digit DfE code")
        parser.add_argument("--by", help="Username of the person importing, for the audit trail")
        parser.add_argument(
            "--dry-run", action="store_true", help="Print what would change and import nothing"
        )

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        la = LocalAuthority.objects.filter(code=options["la"]).first()
        if la is None:
            raise CommandError(f"No local authority has the code {options['la']}")
        actor = None
        if options["by"]:
            actor = User.objects.filter(username=options["by"]).first()
            if actor is None:
                raise CommandError(f"No user is called {options['by']}")
        today = timezone.localdate()
        try:
            read = ctf.parse(file.read_bytes(), name=file.name)
            if options["dry_run"]:
                changes = plan_ctf_import(ctf=read, la=la, today=today)
            else:
                changes = apply_ctf_import(
                    actor=actor,
                    at=timezone.now(),
                    channel=Channel.COMMAND,
                    ctf=read,
                    la=la,
                    today=today,
                    where=f"import-ctf {file.name}",
                )
        except ctf.CtfInvalid as error:
            raise CommandError(f"{error}: nothing was imported") from None
        for line in diff_lines(changes):
            self.stdout.write(line)
        if options["dry_run"]:
            self.stdout.write("dry run: nothing was imported")
        else:
            self.stdout.write(self.style.SUCCESS(f"{file.name}: {len(changes)} pupils imported"))
