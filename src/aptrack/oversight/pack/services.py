"""Committee pack exports: the one door to ask for a pack, and the work the background task
does (move the export through its states, build, store the files). Every move is audited."""

import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from aptrack.audit.models import AuditAction, Channel
from aptrack.audit.services import record_event
from aptrack.organisations.models import LocalAuthority
from aptrack.oversight.measures.periods import Period
from aptrack.oversight.models import PackExport
from aptrack.oversight.pack.build import build_pack
from aptrack.oversight.pack.pdf import pack_pdf
from aptrack.oversight.pack.states import PackStatus, can_move
from aptrack.oversight.pack.xlsx import pack_xlsx

logger = logging.getLogger(__name__)

FAILED_MESSAGE = "The pack could not be produced. Try again; if it fails again, contact support."


class PackNotMovable(Exception):
    """The export is not in a state that allows the move (it already ran, say)."""


def request_pack(
    *,
    la: LocalAuthority,
    period: Period,
    for_publication: bool,
    actor: Any,
    at: dt.datetime,
    today: dt.date,
    where: str = "",
) -> PackExport:
    """Record the request, audit it and queue the task that builds the pack."""

    export = PackExport.objects.create(
        local_authority=la,
        period_start_date=period.start,
        period_end_date=period.end,
        period_label=period.label,
        for_publication=for_publication,
        requested_by=actor,
        requested_at=at,
        as_at_date=today,
    )
    record_event(
        actor=actor,
        at=at,
        action=AuditAction.CREATED,
        channel=Channel.WEB,
        instance=export,
        child_id=None,
        where=where,
        changes={"period": period.label, "for_publication": for_publication},
    )
    # Queued once the row is committed, so a worker never looks for an export not yet there.
    # (The immediate backend used in tests runs it there and then.)
    transaction.on_commit(lambda: _enqueue(export.pk))
    return export


def _enqueue(export_id: int) -> None:
    result = build_committee_pack.enqueue(export_id)
    PackExport.objects.filter(pk=export_id, task_id="").update(task_id=str(result.id)[:64])


def _move(export_id: int, to_status: PackStatus, **fields: Any) -> None:
    with transaction.atomic():
        export = PackExport.objects.select_for_update().get(pk=export_id)
        if not can_move(export.status, to_status):
            raise PackNotMovable(
                f"A pack that is {export.get_status_display().lower()} cannot move to {to_status.label.lower()}"
            )
        for name, value in {"status": to_status, **fields}.items():
            setattr(export, name, value)
        export.save(update_fields=["status", *fields])


def set_progress(*, export_id: int, percent: int, step: str) -> None:
    """How far the task has got; only while running, and never backwards."""
    PackExport.objects.filter(
        pk=export_id, status=PackStatus.RUNNING, progress__lte=percent
    ).update(progress=max(0, min(100, percent)), step=step[:120])


def run_pack_export(*, export_id: int) -> None:
    """Build the pack of a queued export and store its PDF and workbook (the task's body)."""
    _move(export_id, PackStatus.RUNNING, started_at=timezone.now(), progress=1, step="Starting")
    export = PackExport.objects.select_related("local_authority").get(pk=export_id)
    period = Period(export.period_start_date, export.period_end_date, export.period_label)
    try:
        pack = build_pack(
            la=export.local_authority,
            period=period,
            today=export.as_at_date,
            for_publication=export.for_publication,
            generated_at=timezone.now(),
            progress=lambda percent, step: set_progress(
                export_id=export_id, percent=percent, step=step
            ),
        )
        set_progress(export_id=export_id, percent=75, step="Drawing the PDF")
        pdf = pack_pdf(pack)
        set_progress(export_id=export_id, percent=90, step="Writing the spreadsheet")
        xlsx = pack_xlsx(pack)
    except Exception as error:
        logger.exception("Committee pack %s failed", export_id)
        _move(
            export_id,
            PackStatus.FAILED,
            finished_at=timezone.now(),
            step="",
            error=f"{FAILED_MESSAGE} ({type(error).__name__}: {error})"[:2000],
        )
        raise
    _move(
        export_id,
        PackStatus.DONE,
        finished_at=timezone.now(),
        progress=100,
        step="",
        pdf=pdf,
        xlsx=xlsx,
    )


@task()
def build_committee_pack(export_id: int) -> None:
    """Build a requested committee pack, telling the export how far it has got (the background
    task `request_pack` queues)."""
    run_pack_export(export_id=export_id)


def record_download(
    *, export: PackExport, file_kind: str, actor: Any, at: dt.datetime, where: str
) -> None:
    record_event(
        actor=actor,
        at=at,
        action=AuditAction.EXPORTED,
        channel=Channel.WEB,
        instance=export,
        child_id=None,
        where=where,
        changes={"file": file_kind, "for_publication": export.for_publication},
    )
