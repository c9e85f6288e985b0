"""Recording attendance marks: one door, `record_marks`, for every channel (the register page,
file uploads, the import command and the API), so every mark passes the same rules.

A batch is all or nothing: if any row is bad, nothing is written and the report names every
problem (up to ERROR_LIMIT of them). Sending a mark that is already recorded changes nothing; a
different mark for the same placement, date and session becomes the next version, and the old
one is kept. The caller has authorised the actor for `provider` and passes the clock.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, BinaryIO

from django.db import transaction

from aptrack.attendance import marks_file, partitions
from aptrack.attendance.loading import (
    FAR_FUTURE,
    DuplicatesDisagree,
    Loader,
    MarkRow,
    PlacementSpan,
)
from aptrack.attendance.models import MarkBatch, MarkChannel
from aptrack.attendance.rules import CSV_HEADINGS, Column, RowError
from aptrack.audit import services as audit
from aptrack.audit.models import AuditAction, Channel
from aptrack.children import schooling
from aptrack.children import upn as upns
from aptrack.core import changes, validators
from aptrack.placements import rules as placement_rules
from aptrack.placements.models import Placement
from aptrack.placements.states import PlacementStatus

if TYPE_CHECKING:
    from aptrack.accounts.models import User

ERROR_LIMIT = 1_000
NO_MARKS = "There are no marks to record"

_AUDIT_CHANNEL = {
    MarkChannel.REGISTER: Channel.WEB,
    MarkChannel.UPLOAD: Channel.WEB,
    MarkChannel.API: Channel.API,
    MarkChannel.COMMAND: Channel.COMMAND,
    MarkChannel.SYNTHETIC: Channel.COMMAND,
}


@dataclass(frozen=True)
class MarksFile:
    """A marks CSV as uploaded or named on the command line: a seekable binary stream."""

    stream: BinaryIO
    name: str


MarksInput = MarksFile | Sequence[MarkRow]


@dataclass
class MarksReport:
    """What a batch did, or every reason it was refused."""

    source: str
    rows: int = 0
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    batch_id: int | None = None
    errors: list[RowError] = field(default_factory=list)  # the first ERROR_LIMIT
    bad_rows: int = 0  # every row with a problem, listed or not

    @property
    def accepted(self) -> bool:
        return not self.errors

    def lines(self, headings: dict[Column, str] = CSV_HEADINGS) -> list[str]:
        if self.accepted:
            return [
                f"{self.source}: {self.rows:,} rows; marks created {self.created:,}, "
                f"changed {self.changed:,}, unchanged {self.unchanged:,}"
            ]
        lines = [f"{self.source}: nothing was recorded. {self.problem_summary}"]
        lines += [error.describe(self.source, headings) for error in self.errors]
        if self.bad_rows > len({error.row for error in self.errors}):
            lines.append(f"Only the first {ERROR_LIMIT:,} problems are listed.")
        return lines

    @property
    def problem_summary(self) -> str:
        if self.bad_rows:
            return f"{self.bad_rows:,} of {self.rows:,} rows have problems."
        return self.errors[0].reason + "." if self.errors else ""


class MarksRejected(Exception):
    """Nothing was written. `report.errors` names each problem: row, column and reason."""

    def __init__(self, report: MarksReport) -> None:
        self.report = report
        super().__init__(report.lines()[0])


def record_marks(
    *,
    provider: Any,
    marks: MarksInput,
    actor: "User | None",
    channel: MarkChannel,
    at: dt.datetime,
    today: dt.date,
    source: str = "",
) -> MarksReport:
    """Check and record a batch of marks for children placed with `provider` (an Organisation),
    in one transaction. Raises MarksRejected, having written nothing, if any row is bad."""
    source = source or (marks.name if isinstance(marks, MarksFile) else channel.label)
    report = MarksReport(source=source)
    shape = _file_shape(marks, report)
    # This academic year's partition of the marks and the next's, if missing, before the
    # batch's transaction: a partition made inside it would stay locked until it ended.
    partitions.ensure_for(today)
    with transaction.atomic():
        batch = MarkBatch.objects.create(
            provider=provider,
            channel=channel,
            recorded_by=actor if getattr(actor, "pk", None) else None,
            recorded_at=at,
            source=source[:200],
        )
        loader = Loader(provider_id=provider.pk, today=today)
        try:
            loader.lock_provider()
            spans, children_by_upn = _placement_spans(provider)
            loader.create_tables()
            _stage(loader, marks, shape, report)
            loader.resolve(spans=spans, children_by_upn=children_by_upn)
            counts = None if report.errors else loader.insert_if_all_new(batch_id=batch.pk)
            if counts is None:
                _check(loader, report)
                try:
                    counts = loader.merge(batch_id=batch.pk, limit=ERROR_LIMIT)
                except DuplicatesDisagree as disagreeing:
                    report.errors, report.bad_rows = disagreeing.errors, disagreeing.total
                    raise MarksRejected(report) from None
            if counts.created or counts.changed:
                loader.update_rollups()
            loader.drop_tables()
            if counts.created or counts.changed:
                changes.announce(la_ids={span.la_id for span in spans})
        finally:
            loader.close()
        report.created, report.changed, report.unchanged = (
            counts.created,
            counts.changed,
            counts.unchanged,
        )
        report.batch_id = batch.pk
        MarkBatch.objects.filter(pk=batch.pk).update(
            rows=report.rows,
            created=counts.created,
            changed=counts.changed,
            unchanged=counts.unchanged,
        )
        audit.record_event(
            actor=actor,
            at=at,
            action=AuditAction.CREATED,
            channel=_AUDIT_CHANNEL[channel],
            instance=batch,
            child_id=None,
            where=source,
            changes={
                "rows": report.rows,
                "created": counts.created,
                "changed": counts.changed,
                "unchanged": counts.unchanged,
            },
        )
    return report


def _file_shape(marks: MarksInput, report: MarksReport) -> marks_file.FileShape | None:
    """Check a file can be read at all, before any transaction or lock."""
    if not isinstance(marks, MarksFile):
        return None
    try:
        return marks_file.inspect(marks.stream)
    except marks_file.FileInvalid as error:
        report.errors = error.errors
        raise MarksRejected(report) from None


def _stage(
    loader: Loader, marks: MarksInput, shape: marks_file.FileShape | None, report: MarksReport
) -> None:
    broken = 0
    if isinstance(marks, MarksFile):
        assert shape is not None
        report.errors, broken = loader.stage_file(marks.stream, shape, limit=ERROR_LIMIT)
    else:
        _refuse_unstorable_text(marks, report)
        loader.stage_rows(marks)
    report.rows = loader.staged + broken
    report.bad_rows = broken
    if not report.rows:
        report.errors = [RowError(None, None, NO_MARKS)]
        raise MarksRejected(report)


def _refuse_unstorable_text(rows: Sequence[MarkRow], report: MarksReport) -> None:
    """Rows sent as values (not a file, whose NUL bytes and encoding `marks_file` checks) with
    text no database can store: named by row and column before anything is staged."""
    errors = [
        RowError(number, column, f"The value {problem}")
        for number, row in enumerate(rows, start=1)
        for column, value in (
            (Column.UPN, row.upn),
            (Column.DATE, row.date),
            (Column.SESSION, row.session),
            (Column.CODE, row.code),
            (Column.MINUTES_LATE, row.minutes_late),
            (Column.COMMENT, row.comment),
        )
        if (problem := validators.text_problem(value))
    ]
    if errors:
        report.rows = len(rows)
        report.bad_rows = len({error.row for error in errors})
        report.errors = errors[:ERROR_LIMIT]
        raise MarksRejected(report)


def _check(loader: Loader, report: MarksReport) -> None:
    """Apply every rule to every row; raise MarksRejected listing the problems, if any. Rows
    that mark one session differently are listed here with the other problems, or, in a batch
    with no other problem, found by `Loader.merge`."""
    report.bad_rows += loader.count_bad_rows()
    if not (report.bad_rows or report.errors):
        return
    report.errors += loader.row_errors(ERROR_LIMIT)
    duplicates, disagreeing = loader.duplicate_errors(ERROR_LIMIT)
    report.errors += duplicates
    report.bad_rows += disagreeing
    if report.errors:
        report.errors = sorted(report.errors, key=lambda error: error.row or 0)[:ERROR_LIMIT]
        raise MarksRejected(report)


def _placement_spans(provider: Any) -> tuple[list[PlacementSpan], dict[str, int]]:
    """Every placement the provider has had, as dated spans that never overlap for one child
    (a later placement takes over from its start), and its children by UPN."""
    rows = (
        Placement.objects.filter(provider=provider)
        .exclude(status=PlacementStatus.CANCELLED)
        .annotate(answering_la_id=placement_rules.answering_la())
        .order_by("child_id", "start_date", "pk")
        .values_list(
            "pk",
            "child_id",
            "child__upn",
            "start_date",
            "end_date",
            "answering_la_id",
            "child__date_of_birth",
        )
    )
    spans: list[PlacementSpan] = []
    children_by_upn: dict[str, int] = {}
    for placement_id, child_id, upn, start, end, la_id, born in rows:
        if upn:
            children_by_upn[upns.normalise(upn)] = child_id
        compulsory = None if born is None else schooling.compulsory_school_age(born)
        span = PlacementSpan(
            placement_id=placement_id,
            child_id=child_id,
            start_date=start,
            end_date=end or FAR_FUTURE,
            la_id=la_id,
            compulsory_from=None if compulsory is None else compulsory.starts,
            compulsory_to=None if compulsory is None else compulsory.ends,
        )
        if spans and spans[-1].child_id == child_id and spans[-1].end_date >= start:
            earlier = spans.pop()
            if earlier.start_date < start:
                spans.append(
                    PlacementSpan(
                        placement_id=earlier.placement_id,
                        child_id=child_id,
                        start_date=earlier.start_date,
                        end_date=start - dt.timedelta(days=1),
                        la_id=earlier.la_id,
                        compulsory_from=earlier.compulsory_from,
                        compulsory_to=earlier.compulsory_to,
                    )
                )
        spans.append(span)
    return spans, children_by_upn
