"""Reconciling invoice lines, set-based: each check is one UPDATE over every line being
reconciled (a file's or a national year's), never a query per line.

A line is matched to the child's placement with the invoicing provider (one running in the
service period, else the child's latest placement there), that placement's terms (contract,
lot, charge mode), the contract's rate in force on the first service day for the line's unit,
and the attended sessions in the period (marks whose code counts as attendance,
`attendance.codes.ATTENDING_CODES`). Then each query reason is one condition
(`QueryReason`); a line with none is matched. Unit conversions are `costs`'s."""

import operator
from collections.abc import Mapping
from decimal import Decimal
from functools import reduce
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
from aptrack.commissioning.models import Contract, InvoiceLine, PlacementTerms, Rate
from aptrack.commissioning.states import (
    REASON_BITS,
    ChargeMode,
    LineStatus,
    QueryReason,
    RateUnit,
)
from aptrack.organisations.models import Organisation
from aptrack.placements.models import Placement
from aptrack.placements.rules import answering_la, answering_la_sql
from aptrack.placements.states import PlacementStatus

DECIMAL: "DecimalField[Decimal, Decimal]" = DecimalField(max_digits=14, decimal_places=4)
TOLERANCE = Decimal("0.01")
VAT_RATE = Decimal("0.20")
STARTED = [PlacementStatus.ACTIVE, PlacementStatus.ENDED]


def _per_unit(table: Mapping[RateUnit, Decimal | None], week: F | None = None) -> Case:
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


def _match_postgresql(lines: QuerySet[InvoiceLine]) -> None:
    """`_match` as joins for PostgreSQL (the same rules, in the same order): the lookups are
    made once per distinct key (child, provider and dates; placement, unit and first day;
    placement and dates) into temporary tables, then one UPDATE … FROM writes every line."""
    ids_sql, ids_params = lines.order_by().values("pk").query.sql_with_params()
    line_t = InvoiceLine._meta.db_table
    child_t = Child._meta.db_table
    placement_t = Placement._meta.db_table
    terms_t = PlacementTerms._meta.db_table
    rate_t = Rate._meta.db_table
    contract_t = Contract._meta.db_table
    mark_t = AttendanceMark._meta.db_table
    org_t = Organisation._meta.db_table
    started = [str(s) for s in STARTED]
    attending = sorted(ATTENDING_CODES)
    statements: list[tuple[str, list[Any]]] = [
        ("DROP TABLE IF EXISTS recon_line, recon_place, recon_rate, recon_attended", []),
        # Sorts and hashes of a national year's keys in memory, not on disk (this
        # transaction only).
        ("SET LOCAL work_mem = '64MB'", []),
        (
            f"""CREATE TEMP TABLE recon_line AS
            SELECT l.id, l.provider_id, l.service_from, l.service_to, l.unit,
                   l.service_weekdays, c.id AS child_id, c.home_la_id
            FROM {line_t} l
            LEFT JOIN {child_t} c ON c.upn = l.upn AND c.upn <> ''
            WHERE l.id IN ({ids_sql})""",
            list(ids_params),
        ),
        # The placement running in the service period; then, for the few keys with none, the
        # child's latest placement with the provider (a lookup per key only where needed).
        (
            f"""CREATE TEMP TABLE recon_place AS
            SELECT k.child_id, k.provider_id, k.service_from, k.service_to,
                   running.id AS placement_id
            FROM (SELECT DISTINCT child_id, provider_id, service_from, service_to
                  FROM recon_line WHERE child_id IS NOT NULL) k
            LEFT JOIN LATERAL (
                SELECT p.id FROM {placement_t} p
                WHERE p.child_id = k.child_id AND p.provider_id = k.provider_id
                  AND p.status = ANY(%s) AND p.start_date <= k.service_to
                  AND (p.end_date IS NULL OR p.end_date >= k.service_from)
                ORDER BY p.start_date DESC, p.id DESC LIMIT 1) running ON true""",
            [started],
        ),
        (
            f"""UPDATE recon_place k SET placement_id = (
                SELECT p.id FROM {placement_t} p
                WHERE p.child_id = k.child_id AND p.provider_id = k.provider_id
                  AND p.status = ANY(%s)
                ORDER BY p.start_date DESC, p.id DESC LIMIT 1)
            WHERE k.placement_id IS NULL""",
            [started],
        ),
        (
            """ALTER TABLE recon_line ADD COLUMN placement_id bigint""",
            [],
        ),
        (
            """UPDATE recon_line l SET placement_id = k.placement_id FROM recon_place k
            WHERE k.child_id = l.child_id AND k.provider_id = l.provider_id
              AND k.service_from = l.service_from AND k.service_to = l.service_to""",
            [],
        ),
        (
            f"""CREATE TEMP TABLE recon_rate AS
            SELECT k.placement_id, k.unit, k.service_from, rate.amount
            FROM (SELECT DISTINCT placement_id, unit, service_from FROM recon_line
                  WHERE placement_id IS NOT NULL) k
            JOIN LATERAL (
                SELECT r.amount FROM {rate_t} r
                JOIN {terms_t} t ON t.contract_id = r.contract_id
                WHERE t.placement_id = k.placement_id
                  AND (r.lot_id = t.lot_id OR r.lot_id IS NULL)
                  AND (r.effective_to IS NULL OR r.effective_to >= k.service_from)
                  AND r.unit = k.unit AND NOT r.is_transport
                  AND r.effective_from <= k.service_from
                ORDER BY r.lot_id ASC NULLS LAST, r.effective_from DESC, r.id DESC
                LIMIT 1) rate ON true""",
            [],
        ),
        (
            f"""CREATE TEMP TABLE recon_attended AS
            SELECT k.placement_id, k.service_from, k.service_to,
                   (SELECT count(*) FROM {mark_t} m
                    WHERE m.placement_id = k.placement_id
                      AND m.session_date >= k.service_from
                      AND m.session_date <= k.service_to
                      AND m.code = ANY(%s)) AS n
            FROM (SELECT DISTINCT placement_id, service_from, service_to FROM recon_line
                  WHERE placement_id IS NOT NULL) k""",
            [attending],
        ),
        ("ANALYZE recon_line", []),
        ("ANALYZE recon_rate", []),
        ("ANALYZE recon_attended", []),
        (
            f"""UPDATE {line_t} AS il SET
                query_flags = 0, status = %s,
                child_id = l.child_id, placement_id = l.placement_id,
                contract_id = t.contract_id, lot_id = t.lot_id,
                charge_mode = coalesce(t.charge_mode, ''),
                cost_centre = coalesce(ct.cost_centre, ''),
                contract_rate = r.amount,
                local_authority_id = coalesce(pl.answering_la_id, l.home_la_id,
                                              o.local_authority_id),
                contracted_hours = pl.hours_per_week * l.service_weekdays / 5,
                attended_sessions = CASE WHEN l.placement_id IS NULL THEN NULL
                                         ELSE coalesce(a.n, 0) END
            FROM recon_line l
            LEFT JOIN ({answering_la_sql("hours_per_week")}) pl ON pl.id = l.placement_id
            LEFT JOIN {terms_t} t ON t.placement_id = l.placement_id
            LEFT JOIN {contract_t} ct ON ct.id = t.contract_id
            LEFT JOIN recon_rate r ON r.placement_id = l.placement_id AND r.unit = l.unit
                 AND r.service_from = l.service_from
            LEFT JOIN recon_attended a ON a.placement_id = l.placement_id
                 AND a.service_from = l.service_from AND a.service_to = l.service_to
            LEFT JOIN {org_t} o ON o.id = l.provider_id
            WHERE il.id = l.id""",
            [str(LineStatus.MATCHED)],
        ),
        ("DROP TABLE recon_line, recon_place, recon_rate, recon_attended", []),
    ]
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)


def _flag(lines: QuerySet[InvoiceLine]) -> None:
    """Every query reason of every line in one UPDATE, which writes only the lines it queries
    (matching has left each line matched with no flags): the flags are the sum of each
    reason's bit where its condition holds (`reason_conditions`, compiled by Django into the
    SELECT they are read from). Both databases take `UPDATE … FROM` (SQLite from 3.33)."""
    flags = reduce(
        operator.add,
        (
            Case(When(condition, then=Value(REASON_BITS[reason])), default=Value(0))
            for reason, condition in reason_conditions().items()
        ),
    )
    queried = (
        lines.order_by()
        .annotate(line=F("pk"), flags=flags)
        .filter(flags__gt=0)
        .values("line", "flags")
    )
    sql, params = queried.query.sql_with_params()
    table = connection.ops.quote_name(InvoiceLine._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {table} SET query_flags = f.flags, status = %s
            FROM ({sql}) AS f WHERE {table}.id = f.line""",
            [str(LineStatus.QUERIED), *params],
        )


def reconcile(lines: QuerySet[InvoiceLine], *, many: bool = False) -> None:
    """Reconcile every line of `lines` (a queryset over new lines: by invoice, or all);
    `many`: a batch of more than ANALYSE_FROM_LINES lines."""
    if connection.vendor == "postgresql":
        _match_postgresql(lines)
    else:
        _match(lines)
    if many and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {InvoiceLine._meta.db_table}")
    _flag(lines)
