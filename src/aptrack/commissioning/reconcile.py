"""Reconciling invoice lines, set-based: each check is one UPDATE over every line being
reconciled (a file's or a national year's), never a query per line.

A line is matched to the child's placement with the invoicing provider (one running in the
service period, else the child's latest placement there), that placement's terms (contract,
lot, charge mode), the contract's rate in force on the first service day for the line's unit,
and the attended sessions in the period (marks whose code counts as attendance,
`attendance.codes.ATTENDING_CODES`). Then each query reason is one condition
(`QueryReason`); a line with none is matched. Unit conversions are `costs`'s."""

from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from aptrack.attendance.codes import ATTENDING_CODES
from aptrack.attendance.models import AttendanceMark
from aptrack.children.models import Child
from aptrack.commissioning import costs
from aptrack.commissioning.models import InvoiceLine, PlacementTerms, Rate
from aptrack.commissioning.states import (
    REASON_BITS,
    ChargeMode,
    LineStatus,
    QueryReason,
    RateUnit,
)
from aptrack.organisations.models import Organisation
from aptrack.placements.models import Placement
from aptrack.placements.rules import answering_la
from aptrack.placements.states import PlacementStatus

DECIMAL = DecimalField(max_digits=14, decimal_places=4)
TOLERANCE = Decimal("0.01")
VAT_RATE = Decimal("0.20")
STARTED = [PlacementStatus.ACTIVE, PlacementStatus.ENDED]


def _per_unit(table: dict[RateUnit, Decimal], week: object = None) -> Case:
    """quantity × the table's factor for the line's unit (a week's hours are the placement's)."""
    whens = [
        When(unit=unit, then=ExpressionWrapper(F("quantity") * Value(factor), DECIMAL))
        for unit, factor in table.items()
        if factor is not None
    ]
    if week is not None:
        whens.append(
            When(unit=RateUnit.WEEK, then=ExpressionWrapper(F("quantity") * week, DECIMAL))
        )
    return Case(*whens, output_field=DECIMAL)


def charged_hours() -> Case:
    return _per_unit(
        {u: h for u, h in costs.HOURS_PER_UNIT.items() if u != RateUnit.TERM},
        week=F("placement__hours_per_week"),
    )


def charged_sessions() -> Case:
    return _per_unit({u: s for u, s in costs.SESSIONS_PER_UNIT.items() if u != RateUnit.TERM})


def _match(lines: QuerySet[InvoiceLine]) -> None:
    """Two passes over the lines (each UPDATE rewrites every row, so they are few): the child
    and placement; then everything the placement's terms, contract and marks give."""

    def child_by_upn(upn: Any) -> Subquery:
        # upn <> "" lets PostgreSQL use the partial unique index on UPN.
        return Subquery(Child.objects.filter(upn=upn).exclude(upn="").values("pk")[:1])

    here = Placement.objects.filter(
        child_id=child_by_upn(OuterRef(OuterRef("upn"))),
        provider_id=OuterRef("provider_id"),
        status__in=STARTED,
    )
    running = here.filter(start_date__lte=OuterRef("service_to")).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=OuterRef("service_from"))
    )
    latest = ("-start_date", "-pk")
    lines.update(
        query_flags=0,
        status=LineStatus.MATCHED,
        child_id=child_by_upn(OuterRef("upn")),
        placement_id=Coalesce(
            Subquery(running.order_by(*latest).values("pk")[:1]),
            Subquery(here.order_by(*latest).values("pk")[:1]),
        ),
    )
    terms = PlacementTerms.objects.filter(placement_id=OuterRef("placement_id"))
    placement = Placement.objects.filter(pk=OuterRef("placement_id"))
    # The rate of the line's unit in force on its first day under the placement's contract:
    # the placement's lot's own before the contract-wide one, the latest before earlier ones.
    rates = (
        # One filter() call, so the lot compared is that of the same terms row (the
        # placement's), not of any placement on the contract.
        Rate.objects.filter(
            Q(lot_id=F("contract__placements__lot_id")) | Q(lot__isnull=True),
            Q(effective_to__isnull=True) | Q(effective_to__gte=OuterRef("service_from")),
            contract__placements__placement_id=OuterRef("placement_id"),
            unit=OuterRef("unit"),
            is_transport=False,
            effective_from__lte=OuterRef("service_from"),
        ).order_by(F("lot_id").asc(nulls_last=True), "-effective_from", "-pk")
    )
    attended = (
        AttendanceMark.objects.filter(
            placement_id=OuterRef("placement_id"),
            session_date__gte=OuterRef("service_from"),
            session_date__lte=OuterRef("service_to"),
            code__in=sorted(ATTENDING_CODES),
        )
        .order_by()
        .values("placement_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    lines.update(
        contract_id=Subquery(terms.values("contract_id")[:1]),
        lot_id=Subquery(terms.values("lot_id")[:1]),
        charge_mode=Coalesce(Subquery(terms.values("charge_mode")[:1]), Value("")),
        cost_centre=Coalesce(Subquery(terms.values("contract__cost_centre")[:1]), Value("")),
        contract_rate=Subquery(rates.values("amount")[:1]),
        local_authority_id=Coalesce(
            Subquery(placement.annotate(la=answering_la()).values("la")[:1]),
            Subquery(Child.objects.filter(pk=OuterRef("child_id")).values("home_la_id")[:1]),
            Subquery(
                Organisation.objects.filter(pk=OuterRef("provider_id")).values(
                    "local_authority_id"
                )[:1]
            ),
        ),
        contracted_hours=ExpressionWrapper(
            Subquery(placement.values("hours_per_week")[:1]) * F("service_weekdays") / Value(5),
            DECIMAL,
        ),
        attended_sessions=Case(
            When(placement__isnull=True, then=Value(None)),
            default=Coalesce(Subquery(attended), Value(0)),
        ),
    )


def reason_conditions() -> dict[QueryReason, Q]:
    """Each query reason as a condition on a matched line: the rule, once."""
    net = F("quantity") * F("unit_rate")
    vat = F("net_amount") * Value(VAT_RATE)
    earlier = InvoiceLine.objects.filter(
        child_id=OuterRef("child_id"),
        provider_id=OuterRef("provider_id"),
        service_from=OuterRef("service_from"),
        service_to=OuterRef("service_to"),
        invoice_id__lt=OuterRef("invoice_id"),
    ).exclude(status=LineStatus.REJECTED)
    return {
        QueryReason.NO_PLACEMENT: Q(placement__isnull=True),
        QueryReason.BEFORE_START: Q(service_from__lt=F("placement__start_date")),
        QueryReason.AFTER_END: Q(service_to__gt=F("placement__end_date")),
        QueryReason.NOT_ATTENDED: Q(
            charge_mode=ChargeMode.ATTENDED, attended_sessions__lt=charged_sessions()
        ),
        QueryReason.OVER_HOURS: Q(
            contracted_hours__isnull=False,
            contracted_hours__lt=ExpressionWrapper(charged_hours() - Value(TOLERANCE), DECIMAL),
        ),
        QueryReason.RATE_DIFFERS: Q(contract__isnull=False)
        & (
            Q(contract_rate__isnull=True)
            | Q(contract_rate__lt=ExpressionWrapper(F("unit_rate") - Value(TOLERANCE), DECIMAL))
            | Q(contract_rate__gt=ExpressionWrapper(F("unit_rate") + Value(TOLERANCE), DECIMAL))
        ),
        QueryReason.ALREADY_INVOICED: Q(child__isnull=False) & Q(Exists(earlier)),
        QueryReason.AMOUNTS_WRONG: Q(
            net_amount__gt=ExpressionWrapper(net + Value(TOLERANCE), DECIMAL)
        )
        | Q(net_amount__lt=ExpressionWrapper(net - Value(TOLERANCE), DECIMAL))
        | (
            Q(vat_amount__gt=TOLERANCE)
            & (
                Q(vat_amount__gt=ExpressionWrapper(vat + Value(TOLERANCE), DECIMAL))
                | Q(vat_amount__lt=ExpressionWrapper(vat - Value(TOLERANCE), DECIMAL))
            )
        ),
    }


# Above this many lines, PostgreSQL's statistics are refreshed after matching: the columns
# matching fills were empty when the table was last analysed, and plans made on that picture
# (nested loops for "few" rows) cost minutes on a national year.
ANALYSE_FROM_LINES = 50_000


def reconcile(lines: QuerySet[InvoiceLine], *, many: bool = False) -> None:
    """Reconcile every line of `lines` (a queryset over new lines: by invoice, or all);
    `many`: a batch of more than ANALYSE_FROM_LINES lines."""
    _match(lines)
    if many and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {InvoiceLine._meta.db_table}")
    for reason, condition in reason_conditions().items():
        lines.filter(condition).update(query_flags=F("query_flags").bitor(REASON_BITS[reason]))
    lines.filter(query_flags__gt=0).update(status=LineStatus.QUERIED)
