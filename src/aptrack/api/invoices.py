"""Invoice endpoint for providers' finance systems: the same lines as the CSV file, recorded
and reconciled by the same service (`commissioning.services.record_invoices`), all or nothing."""

from typing import Any

from django.utils import timezone
from ninja import Field, Router, Schema, Status

from aptrack.accounts.requests import AuthenticatedHttpRequest
from aptrack.commissioning import permissions, services
from aptrack.commissioning.invoice_file import InvoiceFileRejected, read_rows
from aptrack.commissioning.states import InvoiceChannel, reasons_of

router = Router(tags=["invoices"])

MAX_LINES = 5_000
TOO_MANY = f"Send at most {MAX_LINES:,} lines in one request, or upload a file"
NOT_PROVIDER = "Only a provider's token can send invoices"


class LineIn(Schema):
    """One invoice line; values as text, checked by the same rules as a file's rows."""

    invoice_number: str = ""
    invoice_date: str = Field("", description="YYYY-MM-DD or DD/MM/YYYY")
    upn: str = ""
    service_from: str = ""
    service_to: str = ""
    unit: str = Field("", description="session, day, hour or week")
    quantity: str = ""
    unit_rate: str = ""
    net_amount: str = ""
    vat_amount: str = ""


class InvoicesIn(Schema):
    lines: list[LineIn]


class QueriedOut(Schema):
    invoice_number: str
    row: int
    upn: str
    reasons: list[str]


class InvoicesOut(Schema):
    invoice_ids: list[int]
    lines: int
    matched: int
    queried: int
    by_reason: dict[str, int]
    queried_lines: list[QueriedOut]


class ProblemOut(Schema):
    row: int | None = Field(..., description="Position in `lines`, from 1")
    field: str | None
    reason: str


class RejectedOut(Schema):
    detail: str
    errors: list[ProblemOut] = []


@router.post(
    "",
    response={200: InvoicesOut, 400: RejectedOut, 403: RejectedOut, 413: RejectedOut},
    summary="Send invoices",
    description=(
        "Lines of one or more invoices (grouped by invoice number) from the token's provider. "
        "Every line is reconciled to the child's placement, its contract and the attendance "
        "marks: matched, or queried with reasons. Any bad line, or an invoice number already "
        "sent, and nothing is recorded: the 400 answer lists each problem by line (position in "
        f"`lines`, from 1) and field. At most {MAX_LINES:,} lines."
    ),
)
def send_invoices(request: AuthenticatedHttpRequest, payload: InvoicesIn) -> Any:
    provider = request.user.organisation
    if not permissions.can_send_invoices(request.user) or provider is None:
        return Status(403, {"detail": NOT_PROVIDER})
    if len(payload.lines) > MAX_LINES:
        return Status(413, {"detail": TOO_MANY})
    try:
        report = services.record_invoices(
            provider=provider,
            lines=read_rows([line.dict() for line in payload.lines]),
            channel=InvoiceChannel.API,
            by=request.user,
            at=timezone.now(),
            source=request.path,
        )
    except InvoiceFileRejected as rejected:
        return Status(
            400,
            {
                "detail": "Nothing was recorded",
                "errors": [
                    {"row": p.row, "field": p.column, "reason": p.reason} for p in rejected.problems
                ],
            },
        )
    return Status(
        200,
        {
            "invoice_ids": report.invoice_ids,
            "lines": report.lines,
            "matched": report.matched,
            "queried": report.queried,
            "by_reason": {reason.value: n for reason, n in report.by_reason.items()},
            "queried_lines": [
                {
                    "invoice_number": line.invoice.invoice_number,
                    "row": line.row_number,
                    "upn": line.upn,
                    "reasons": [reason.value for reason in reasons_of(line.query_flags)],
                }
                for line in report.queried_lines
            ],
        },
    )
