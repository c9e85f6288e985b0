"""Writes for contracts, placement terms and invoices. One door each: every channel (upload,
API, command line) records invoices through `record_invoices`; every decision on a line goes
through `decide_lines`. The clock and the actor are passed in."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count

from aptrack.audit import services as audit
from aptrack.audit.models import AuditAction, Channel
from aptrack.audit.services import record_event
from aptrack.commissioning import costs, permissions, reconcile
from aptrack.commissioning.invoice_file import (
    DUPLICATE_NUMBER,
    InvoiceFileRejected,
    LineIn,
    Problem,
    weekdays,
)
from aptrack.commissioning.models import (
    Contract,
    HighNeedsBudget,
    Invoice,
    InvoiceEvent,
    InvoiceLine,
    Lot,
    PlacementTerms,
    Rate,
)
from aptrack.commissioning.states import (
    ALLOWED_TRANSITIONS,
    DECISION_EVENT,
    DECISION_STATUS,
    ChargeMode,
    ContractKind,
    Decision,
    EventKind,
    InvoiceChannel,
    InvoiceQueried,
    LineStatus,
    QueryReason,
    reasons_of,
)
from aptrack.core import alerting, changes
from aptrack.core.concurrency import lock_version
from aptrack.core.errors import DomainForbidden, DomainInvalid
from aptrack.organisations.models import Organisation
from aptrack.placements.models import Placement

REASON_NEEDED = "Give a reason to {decision} a line"
APPROVE_QUERIED_REASON_NEEDED = "Give a reason to approve a line reconciliation queried"
LINE_SETTLED = "Row {row} of invoice {number} is already {status}"
NOT_YOUR_LINE = "Line {line} is not one you may decide"
WRONG_PROVIDER = "The contract is with another provider than the placement"
LOT_NOT_OF_CONTRACT = "The lot is not one of the contract's"


@dataclass
class InvoiceReport:
    """What recording a batch of invoice lines found: for the command's summary and pages."""

    invoice_ids: list[int]
    lines: int
    matched: int
    queried: int
    by_reason: Counter[QueryReason] = field(default_factory=Counter)
    queried_lines: list[InvoiceLine] = field(default_factory=list)

    def summary(self) -> list[str]:
        out = [
            f"{len(self.invoice_ids)} invoice(s), {self.lines} line(s): "
            f"{self.matched} matched, {self.queried} queried"
        ]
        out += [f"  {reason.label}: {n}" for reason, n in sorted(self.by_reason.items())]
        return out


def record_invoices(
    *,
    provider: Organisation,
    lines: list[LineIn],
    channel: InvoiceChannel,
    by: Any,
    at: dt.datetime,
    source: str = "",
) -> InvoiceReport:
    """Record a provider's invoices (one or more, grouped by invoice number) and reconcile every
    line; all or nothing. An invoice number already received from the provider refuses the
    whole batch, naming the row."""
    first_rows: dict[str, LineIn] = {}
    for line in lines:
        first_rows.setdefault(line.invoice_number, line)
    with transaction.atomic():
        taken = set(
            Invoice.objects.select_for_update()
            .filter(provider=provider, invoice_number__in=list(first_rows))
            .values_list("invoice_number", flat=True)
        )
        if taken:
            raise InvoiceFileRejected(
                [
                    Problem(row.row, "invoice_number", DUPLICATE_NUMBER.format(number=number))
                    for number, row in first_rows.items()
                    if number in taken
                ]
            )
        invoices = {
            number: Invoice.objects.create(
                provider=provider,
                invoice_number=number,
                invoice_date=row.invoice_date,
                channel=channel,
                source_name=source[:255],
                received_by=by if getattr(by, "pk", None) else None,
                received_at=at,
            )
            for number, row in first_rows.items()
        }
        # Staged, reconciled and written once (`reconcile.record`).
        reconcile.record(
            (
                invoices[line.invoice_number].pk,
                line.row,
                line.upn,
                line.service_from,
                line.service_to,
                line.unit,
                line.quantity,
                line.unit_rate,
                line.net_amount,
                line.vat_amount,
                weekdays(line.service_from, line.service_to),
                provider.pk,
            )
            for line in lines
        )
        ids = [invoice.pk for invoice in invoices.values()]
        report = report_on(ids)
        InvoiceEvent.objects.bulk_create(
            InvoiceEvent(
                invoice=invoice,
                kind=EventKind.RECEIVED,
                actor=by if getattr(by, "pk", None) else None,
                at=at,
                data={"channel": channel, "source": source[:255]},
            )
            for invoice in invoices.values()
        )
    return report


def report_on(invoice_ids: list[int]) -> InvoiceReport:
    """The lines of these invoices matched and queried, by reason, and the queried lines."""
    lines = InvoiceLine.objects.filter(invoice_id__in=invoice_ids)
    flags = lines.filter(query_flags__gt=0).values("query_flags").annotate(n=Count("pk"))
    by_reason: Counter[QueryReason] = Counter()
    for row in flags:
        for reason in reasons_of(row["query_flags"]):
            by_reason[reason] += row["n"]
    total = lines.count()
    queried = lines.filter(query_flags__gt=0)
    n_queried = queried.count()
    return InvoiceReport(
        invoice_ids=list(invoice_ids),
        lines=total,
        matched=total - n_queried,
        queried=n_queried,
        by_reason=by_reason,
        queried_lines=list(
            queried.select_related("invoice", "placement").order_by("invoice_id", "row_number")[
                :1000
            ]
        ),
    )


class DecisionRefused(Exception):
    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def decide_lines(
    *,
    lines: list[InvoiceLine],
    decision: Decision,
    reason: str,
    by: Any,
    at: dt.datetime,
) -> int:
    """Approve, query or reject invoice lines, each with its event. A query or a rejection
    needs a reason, and so does approving a line reconciliation queried. The caller has
    scoped the lines to the officer's LA (`permissions.scope_lines`). Queried lines are
    announced (`InvoiceQueried`, one an invoice) for the provider's staff."""
    reason = reason.strip()
    status = DECISION_STATUS[decision]
    with transaction.atomic():
        locked = list(
            InvoiceLine.objects.select_for_update()
            .select_related("invoice")
            .filter(pk__in=[line.pk for line in lines])
            .order_by("pk")
        )
        for line in locked:
            if status not in ALLOWED_TRANSITIONS[LineStatus(line.status)]:
                raise DecisionRefused(
                    LINE_SETTLED.format(
                        row=line.row_number,
                        number=line.invoice.invoice_number,
                        status=line.get_status_display().lower(),
                    )
                )
            if not reason and decision != Decision.APPROVE:
                raise DecisionRefused(REASON_NEEDED.format(decision=decision.label.lower()))
            if not reason and line.status == LineStatus.QUERIED:
                raise DecisionRefused(APPROVE_QUERIED_REASON_NEEDED)
        for line in locked:
            line.status = status
            line.decision_reason = reason
            line.decided_by = by
            line.decided_at = at
        InvoiceLine.objects.bulk_update(
            locked, ["status", "decision_reason", "decided_by", "decided_at"]
        )
        # Approved lines are the LAs' actual spend (`spend`): their figures change.
        changes.announce(
            la_ids={
                line.local_authority_id for line in locked if line.local_authority_id is not None
            }
        )
        InvoiceEvent.objects.bulk_create(
            InvoiceEvent(
                invoice_id=line.invoice_id,
                line=line,
                kind=DECISION_EVENT[decision],
                actor=by,
                at=at,
                reason=reason,
            )
            for line in locked
        )
        if decision == Decision.QUERY:
            # The provider is told the same day: one message an invoice, sent at commit.
            per_invoice = Counter(line.invoice_id for line in locked)
            for invoice_id, n in sorted(per_invoice.items()):
                alerting.announce_alert(InvoiceQueried(invoice_id=invoice_id, lines=n), at=at)
    return len(locked)


def set_placement_terms(
    *,
    placement: Placement,
    contract: Contract,
    lot: Lot | None = None,
    charge_mode: ChargeMode = ChargeMode.ATTENDED,
    transport_weekly_cost: Decimal = Decimal(0),
    bespoke_terms: str = "",
    by: Any,
    at: dt.datetime,
) -> PlacementTerms:
    """Buy a placement on a contract: its terms, and its weekly cost from then on derived from
    the contract (`costs.placement_weekly_cost`), never typed."""
    if contract.provider_id != placement.provider_id:
        raise DecisionRefused(WRONG_PROVIDER)
    if lot is not None and lot.contract_id != contract.pk:
        raise DecisionRefused(LOT_NOT_OF_CONTRACT)
    with transaction.atomic():
        terms, _ = PlacementTerms.objects.update_or_create(
            placement=placement,
            defaults={
                "contract": contract,
                "lot": lot,
                "charge_mode": charge_mode,
                "transport_weekly_cost": transport_weekly_cost,
                "bespoke_terms": bespoke_terms,
                "set_by": by,
                "set_at": at,
            },
        )
        cost = costs.placement_weekly_cost(
            terms=terms, hours_per_week=placement.hours_per_week, on=placement.start_date
        )
        if cost is not None:
            # The stored figure the dashboard and pack read, kept equal to the contract's.
            Placement.objects.filter(pk=placement.pk).update(weekly_cost=cost)
            placement.weekly_cost = cost
    return terms


CONTRACT_REFERENCE_TAKEN = "Your authority already has a contract with reference {reference}"
PROVIDER_NOT_A_PROVIDER = "Choose a provider"
BLOCK_TERMS_NEEDED = "A block contract needs its places, total price and end date"
ENDS_BEFORE_START = "End date must be on or after the start date"
RATE_DATE_TAKEN = (
    "A rate for this lot and unit already starts on {day}. Rates are never changed: add the "
    "new rate from a later date"
)


class ContractInvalid(DomainInvalid):
    """A contract or rate the rules refuse (by field)."""


def create_contract(
    *,
    local_authority_id: int,
    provider: Organisation,
    reference: str,
    kind: str,
    funder: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    places: int | None = None,
    block_price: Decimal | None = None,
    framework_name: str = "",
    cost_centre: str = "",
    lots: list[str] | None = None,
    by: Any,
    at: dt.datetime,
) -> Contract:
    """Record a contract of the LA's with a provider (and a framework's lots), audited."""
    if provider.kind != "PROVIDER":
        raise DecisionRefused(PROVIDER_NOT_A_PROVIDER)
    with transaction.atomic():
        if Contract.objects.filter(
            local_authority_id=local_authority_id, reference=reference
        ).exists():
            raise DecisionRefused(CONTRACT_REFERENCE_TAKEN.format(reference=reference))
        contract = Contract.objects.create(
            local_authority_id=local_authority_id,
            provider=provider,
            reference=reference,
            kind=kind,
            funder=funder,
            start_date=start_date,
            end_date=end_date,
            places=places,
            block_price=block_price,
            framework_name=framework_name,
            cost_centre=cost_centre,
            created_at=at,
        )
        Lot.objects.bulk_create(Lot(contract=contract, name=name) for name in lots or [])
        record_event(
            actor=by,
            at=at,
            action=AuditAction.CREATED,
            channel=Channel.WEB,
            instance=contract,
            child_id=None,
            changes={"reference": reference, "kind": kind, "lots": lots or []},
        )
    return contract


def update_contract(
    *,
    contract: Contract,
    expected_version: int,
    reference: str,
    funder: str,
    start_date: dt.date,
    end_date: dt.date | None,
    places: int | None,
    block_price: Decimal | None,
    framework_name: str,
    cost_centre: str,
    by: Any,
    at: dt.datetime,
    where: str = "",
) -> Contract:
    """Change a contract's terms (not its LA, provider or kind), audited with each change, if no
    one has changed it since `expected_version` was read. Its rates are not touched: a change of
    price is a new rate from a date (`add_rate`), so earlier invoice lines keep the rate in force
    when they were served. Places and price are a block contract's only."""
    reference = reference.strip()
    with transaction.atomic():
        locked = lock_version(Contract, pk=contract.pk, expected_version=expected_version)
        block = locked.kind == ContractKind.BLOCK
        errors: dict[str | None, list[str]] = {}
        if (
            Contract.objects.filter(
                local_authority_id=locked.local_authority_id, reference=reference
            )
            .exclude(pk=locked.pk)
            .exists()
        ):
            errors["reference"] = [CONTRACT_REFERENCE_TAKEN.format(reference=reference)]
        if end_date is not None and end_date < start_date:
            errors["end_date"] = [ENDS_BEFORE_START]
        if block and (not places or block_price is None or end_date is None):
            errors[None] = [BLOCK_TERMS_NEEDED]
        if errors:
            raise ContractInvalid(errors)
        before = audit.snapshot(locked)
        locked.reference = reference
        locked.funder = funder
        locked.start_date = start_date
        locked.end_date = end_date
        locked.places = places if block else None
        locked.block_price = block_price if block else None
        locked.framework_name = framework_name.strip()
        locked.cost_centre = cost_centre.strip()
        changes = audit.diff(before, audit.snapshot(locked))
        if changes:
            locked.version += 1
            locked.updated_at = at
            locked.save()
            record_event(
                actor=by,
                at=at,
                action=AuditAction.UPDATED,
                channel=Channel.WEB,
                instance=locked,
                child_id=None,
                where=where,
                changes=changes,
            )
    return locked


def add_rate(
    *,
    contract: Contract,
    lot: Lot | None,
    unit: str,
    amount: Decimal,
    effective_from: dt.date,
    effective_to: dt.date | None = None,
    is_transport: bool = False,
    by: Any,
    at: dt.datetime,
) -> Rate:
    """Add a rate to a contract from a date, audited. Rates are never overwritten: earlier rates
    stay, and stay in force for the days before this one's `effective_from` (`reconcile` takes
    the latest in force on a line's first day), so a rate for the same lot, unit and transport
    from the same day is refused."""
    if lot is not None and lot.contract_id != contract.pk:
        raise DecisionRefused(LOT_NOT_OF_CONTRACT)
    with transaction.atomic():
        Contract.objects.select_for_update().filter(pk=contract.pk).first()
        if Rate.objects.filter(
            contract=contract,
            lot=lot,
            unit=unit,
            is_transport=is_transport,
            effective_from=effective_from,
        ).exists():
            raise ContractInvalid(
                {"effective_from": [RATE_DATE_TAKEN.format(day=f"{effective_from:%-d %B %Y}")]}
            )
        rate = Rate.objects.create(
            contract=contract,
            lot=lot,
            unit=unit,
            amount=amount,
            effective_from=effective_from,
            effective_to=effective_to,
            is_transport=is_transport,
        )
        record_event(
            actor=by,
            at=at,
            action=AuditAction.CREATED,
            channel=Channel.WEB,
            instance=rate,
            child_id=None,
            changes={"contract": contract.reference, "unit": unit, "amount": str(amount)},
        )
    return rate


BUDGET_NOT_YOURS = "Only your own authority's managers and finance officers may set its AP budget"
BUDGET_NEGATIVE = "The budget must be £0 or more"
BUDGET_YEAR_OUT_OF_RANGE = "Choose a financial year from {first} to {last}"
BUDGET_FIRST_YEAR, BUDGET_LAST_YEAR = 2000, 2099


def set_high_needs_budget(
    *, la_id: int, financial_year: int, amount: Decimal, by: Any, at: dt.datetime
) -> HighNeedsBudget:
    """Set (or change) the LA's high-needs budget for AP in a financial year, audited with the
    amount it replaces: the one door for it. Only the LA's own managers and finance officers
    may (`permissions.spend_la_of`). Saving it marks the LA's figures to be worked out again
    (`apps.py` registers the model with `core.changes`)."""
    if permissions.spend_la_of(by) != la_id:
        raise DomainForbidden(BUDGET_NOT_YOURS)
    errors: dict[str | None, list[str]] = {}
    if not BUDGET_FIRST_YEAR <= financial_year <= BUDGET_LAST_YEAR:
        errors["financial_year"] = [
            BUDGET_YEAR_OUT_OF_RANGE.format(first=BUDGET_FIRST_YEAR, last=BUDGET_LAST_YEAR)
        ]
    if amount < 0:
        errors["amount"] = [BUDGET_NEGATIVE]
    if errors:
        raise DomainInvalid(errors)
    with transaction.atomic():
        budget = (
            HighNeedsBudget.objects.select_for_update()
            .filter(local_authority_id=la_id, financial_year=financial_year)
            .first()
        )
        before = budget.amount if budget is not None else None
        if budget is None:
            budget = HighNeedsBudget(local_authority_id=la_id, financial_year=financial_year)
        budget.amount, budget.set_at = amount, at
        budget.save()
        record_event(
            actor=by,
            at=at,
            action=AuditAction.CREATED if before is None else AuditAction.UPDATED,
            channel=Channel.WEB,
            instance=budget,
            child_id=None,
            changes={
                "financial_year": financial_year,
                "amount": {"from": None if before is None else str(before), "to": str(amount)},
            },
        )
    return budget
