"""Attendance endpoint for providers' own systems: a batch of marks in, the same rules as the
register page and file imports (one service door), all or nothing."""

from typing import Any

from django.utils import timezone
from ninja import Field, Router, Schema, Status

from aptrack.accounts.requests import AuthenticatedHttpRequest
from aptrack.attendance import permissions, services
from aptrack.attendance.loading import MarkRow
from aptrack.attendance.models import MarkChannel

router = Router(tags=["attendance"])

# A day's register for the largest provider is about 1,400 marks. 2,000 marks with the longest
# comments still fit in the 2.5 MB request body Django accepts (DATA_UPLOAD_MAX_MEMORY_SIZE);
# a bigger body is refused with 413 and the reason (api.api._body_too_big).
MAX_MARKS = 2_000
TOO_MANY = f"Send at most {MAX_MARKS:,} marks in one request, or upload a file"
NOT_PROVIDER = "Only a provider's token can record marks"


class MarkIn(Schema):
    """One mark. Values are taken as text and checked by the same rules as a file's rows, so a
    bad value is reported against its row, not as a malformed request."""

    upn: str = Field("", description="The child's UPN")
    date: str = Field("", description="YYYY-MM-DD or DD/MM/YYYY", examples=["2026-11-23"])
    session: str = Field("", description="AM or PM")
    code: str = Field("", description="An attendance code in use since August 2024, e.g. / or N")
    minutes_late: int | str | None = Field(None, description="Only with L or U")
    comment: str = ""


class MarksIn(Schema):
    marks: list[MarkIn]


class MarksOut(Schema):
    batch_id: int
    rows: int
    created: int
    changed: int
    unchanged: int


class RowErrorOut(Schema):
    row: int | None = Field(..., description="Position in `marks`, from 1")
    field: str | None
    reason: str


class RejectedOut(Schema):
    detail: str
    errors: list[RowErrorOut] = []


@router.post(
    "",
    response={200: MarksOut, 400: RejectedOut, 403: RejectedOut, 413: RejectedOut},
    summary="Record a batch of attendance marks",
    description=(
        "Marks for children placed with the token's provider. Idempotent: a mark already "
        "recorded changes nothing; a different mark for the same child, date and session "
        "becomes a new version. Any bad row and nothing is recorded: the 400 answer lists every "
        f"problem by row (position in `marks`, from 1) and field. At most {MAX_MARKS:,} marks "
        "(413 beyond that) and 2.5 MB a request."
    ),
)
def record_marks(request: AuthenticatedHttpRequest, payload: MarksIn) -> Any:
    if not permissions.can_record_marks(request.user):
        return Status(403, {"detail": NOT_PROVIDER})
    if len(payload.marks) > MAX_MARKS:
        return Status(413, {"detail": TOO_MANY})
    rows = [
        MarkRow(
            upn=mark.upn,
            date=mark.date,
            session=mark.session,
            code=mark.code,
            minutes_late="" if mark.minutes_late is None else str(mark.minutes_late),
            comment=mark.comment,
        )
        for mark in payload.marks
    ]
    try:
        report = services.record_marks(
            provider=request.user.organisation,
            marks=rows,
            actor=request.user,
            channel=MarkChannel.API,
            at=timezone.now(),
            today=timezone.localdate(),
            source=request.path,
        )
    except services.MarksRejected as rejected:
        report = rejected.report
        return Status(
            400,
            {
                "detail": f"Nothing was recorded. {report.problem_summary}",
                "errors": [
                    {
                        "row": error.row,
                        "field": error.column.value if error.column else None,
                        "reason": error.reason,
                    }
                    for error in report.errors
                ],
            },
        )
    return Status(
        200,
        {
            "batch_id": report.batch_id,
            "rows": report.rows,
            "created": report.created,
            "changed": report.changed,
            "unchanged": report.unchanged,
        },
    )
