"""Reads for invoices: the finance officer's work queue, an invoice's lines, a provider's
remittance, and the approved lines for the council's finance system."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from aptrack.commissioning.models import Invoice, InvoiceLine
from aptrack.commissioning.states import (
    OPEN_STATUSES,
    LineStatus,
    QueryReason,
    RateUnit,
    reasons_of,
)
from aptrack.core.govuk.formatting import uk_date

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=14, decimal_places=2))


def _count(status: LineStatus, lines: str) -> Count:
    return Count(lines, filter=Q(**{f"{lines}__status": status}))


def list_invoices(
    *, invoices: QuerySet[Invoice], lines: QuerySet[InvoiceLine], open_only: bool = False
) -> QuerySet[Invoice]:
    """Invoices with counts of the (scoped) lines in each status, newest first."""
    ids = lines.values("pk")
    in_scope = Q(lines__pk__in=ids)
    rows = invoices.annotate(
        line_count=Count("lines", filter=in_scope),
        matched=Count("lines", filter=in_scope & Q(lines__status=LineStatus.MATCHED)),
        queried=Count("lines", filter=in_scope & Q(lines__status=LineStatus.QUERIED)),
        approved=Count("lines", filter=in_scope & Q(lines__status=LineStatus.APPROVED)),
        rejected=Count("lines", filter=in_scope & Q(lines__status=LineStatus.REJECTED)),
        net_total=Coalesce(Sum("lines__net_amount", filter=in_scope), ZERO),
    ).select_related("provider")
    if open_only:
        rows = rows.filter(Q(matched__gt=0) | Q(queried__gt=0))
    return rows.order_by("-received_at", "-pk")


@dataclass(frozen=True)
class LineView:
    line: InvoiceLine
    reasons: list[QueryReason]
    charged_sessions: Decimal | None

    @property
    def is_open(self) -> bool:
        return self.line.status in OPEN_STATUSES

    def label(self, *, shown_name: bool) -> str:
        line = self.line
        who = str(line.child) if shown_name and line.child else f"UPN {line.upn}"
        return f"Row {line.row_number}: {who}, {uk_date(line.service_from)} to {uk_date(line.service_to)}"


def list_lines(*, invoice: Invoice, lines: QuerySet[InvoiceLine]) -> list[LineView]:
    from aptrack.commissioning import costs

    rows = (
        lines.filter(invoice=invoice)
        .select_related("child", "placement", "contract", "decided_by")
        .order_by("row_number")
    )
    return [
        LineView(
            line=line,
            reasons=reasons_of(line.query_flags),
            charged_sessions=(
                line.quantity * costs.SESSIONS_PER_UNIT[RateUnit(line.unit)]
            ).quantize(Decimal("0.1")),
        )
        for line in rows
    ]


@dataclass(frozen=True)
class Remittance:
    approved_lines: int
    net: Decimal
    vat: Decimal

    @property
    def gross(self) -> Decimal:
        return self.net + self.vat


def get_remittance(*, invoice: Invoice) -> Remittance:
    """What was approved of an invoice: the provider's remittance advice."""
    totals = InvoiceLine.objects.filter(invoice=invoice, status=LineStatus.APPROVED).aggregate(
        n=Count("pk"), net=Coalesce(Sum("net_amount"), ZERO), vat=Coalesce(Sum("vat_amount"), ZERO)
    )
    return Remittance(approved_lines=totals["n"], net=totals["net"], vat=totals["vat"])


def list_approved_by_cost_centre(
    *, la_id: int, decided_from: dt.datetime, decided_to: dt.datetime
) -> QuerySet[InvoiceLine, dict[str, Any]]:
    """Approved lines of an LA decided in the period, one row per cost centre and provider:
    the file for the council's finance system."""
    return (
        InvoiceLine.objects.filter(
            local_authority_id=la_id,
            status=LineStatus.APPROVED,
            decided_at__gte=decided_from,
            decided_at__lt=decided_to,
        )
        .values("cost_centre", "provider_id", provider_name=F("provider__name"))
        .annotate(
            lines=Count("pk"),
            invoices=Count("invoice_id", distinct=True),
            net=Sum("net_amount"),
            vat=Sum("vat_amount"),
        )
        .order_by("cost_centre", "provider_name")
    )
