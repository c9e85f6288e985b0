"""Reconciling invoice lines, set-based: the lines being reconciled (a file's or a national
year's) are staged in a temporary table (`StagedLine`), matched there by a few statements over
all of them, each query reason one condition (`reason_conditions`), then written to
`InvoiceLine` once: new lines by one INSERT … SELECT (`record`), stored lines reconciled again
by one UPDATE (`reconcile`). Never a query per line, and each line written to the big table
once.

A line is matched to the child's placement with the invoicing provider (one running in the
service period, else the child's latest placement there), that placement's terms (contract,
lot, charge mode), the contract's rate in force on the first service day for the line's unit,
and the attended sessions in the period (marks whose code counts as attendance,
`attendance.codes.ATTENDING_CODES`). Then each query reason is one condition
(`QueryReason`); a line with none is matched. Unit conversions are `costs`'s."""

import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
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
from aptrack.commissioning.models import (
    Contract,
    InvoiceLine,
    LineAsSent,
    LineFound,
    PlacementTerms,
    Rate,
    StagedLine,
)
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


def _match(lines: QuerySet[StagedLine]) -> None:
    """Matching in two passes over the staged lines (SQLite): the child and placement; then
    everything the placement's terms, contract and marks give."""

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
    """Each query reason as a condition on a matched, staged line (`StagedLine`): the rule,
    once. An earlier invoice's line is a stored one or one staged with it."""
    net = F("quantity") * F("unit_rate")
    vat = F("net_amount") * Value(VAT_RATE)

    def earlier(model: type[InvoiceLine] | type[StagedLine]) -> Exists:
        return Exists(
            model.objects.filter(
                child_id=OuterRef("child_id"),
                provider_id=OuterRef("provider_id"),
                service_from=OuterRef("service_from"),
                service_to=OuterRef("service_to"),
                invoice_id__lt=OuterRef("invoice_id"),
            ).exclude(status=LineStatus.REJECTED)
        )

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
        QueryReason.ALREADY_INVOICED: Q(child__isnull=False)
        & (Q(earlier(InvoiceLine)) | Q(earlier(StagedLine))),
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


# As sent (`id`: the staged line's number, or a stored line's own id), in the order a file's
# rows are given to `record`.
SENT = (
    "id",
    "invoice_id",
    *(field.attname for field in LineAsSent._meta.fields),
    "provider_id",
)
# What matching finds.
FOUND = (
    "child_id",
    "placement_id",
    "local_authority_id",
    "contract_id",
    "lot_id",
    *(field.attname for field in LineFound._meta.fields),
)
SENT_TABLE = "recon_sent"
STAGED_TABLE = StagedLine._meta.db_table
# Sorts and hashes of a national year's lines in memory, not on disk (this transaction only).
WORK_MEM = "64MB"


def _stage(fill: Callable[[Any, str], None]) -> None:
    """The staging table, made from `InvoiceLine`'s own columns (so their types are the
    table's), filled by `fill(cursor, table)`. PostgreSQL stages the lines as sent and
    matches them into a second table (`_match_postgresql`); SQLite stages them in the
    `StagedLine` table, which matching updates (`_match`)."""
    postgresql = connection.vendor == "postgresql"
    table, columns = (SENT_TABLE, SENT) if postgresql else (STAGED_TABLE, (*SENT, *FOUND, "status"))
    line_t = InvoiceLine._meta.db_table
    with connection.cursor() as cursor:
        _drop(cursor)
        if postgresql:
            cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
        cursor.execute(
            f"CREATE TEMP TABLE {table} AS SELECT {', '.join(columns)} FROM {line_t} WHERE 1 = 0"
        )
        fill(cursor, table)


def _copy_rows(rows: Iterable[Sequence[Any]]) -> Callable[[Any, str], None]:
    """Fill the staging table with new lines (`SENT` after `id`), numbered from 1: by COPY on
    PostgreSQL."""

    def fill(cursor: Any, table: str) -> None:
        numbered = ((n, *row) for n, row in enumerate(rows, start=1))
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({', '.join(SENT)}) FROM STDIN") as copy:
                for line in numbered:
                    copy.write_row(line)
        else:
            marks = ", ".join(["%s"] * len(SENT))
            cursor.executemany(
                f"INSERT INTO {table} ({', '.join(SENT)}) VALUES ({marks})", list(numbered)
            )

    return fill


def _select_rows(sql: str, params: Sequence[Any]) -> Callable[[Any, str], None]:
    """Fill the staging table from a SELECT of `SENT`'s columns."""

    def fill(cursor: Any, table: str) -> None:
        cursor.execute(f"INSERT INTO {table} ({', '.join(SENT)}) {sql}", list(params))

    return fill


def _match_postgresql() -> None:
    """`_match` as joins for PostgreSQL (the same rules, in the same order), from the lines as
    sent into the `StagedLine` table in one statement. The placement is found by joining every
    line to the child's placements with the provider (the running one first, then the latest),
    the rate by joining it to its contract's rates (the lot's first, then the latest); only
    the attended sessions are counted line by line, from the marks' index."""
    child_t = Child._meta.db_table
    placement_t = Placement._meta.db_table
    terms_t = PlacementTerms._meta.db_table
    rate_t = Rate._meta.db_table
    contract_t = Contract._meta.db_table
    mark_t = AttendanceMark._meta.db_table
    org_t = Organisation._meta.db_table
    sent = ", ".join(f"s.{column}" for column in SENT)
    statements: list[tuple[str, list[Any]]] = [
        (f"ANALYZE {SENT_TABLE}", []),
        (
            f"""CREATE TEMP TABLE recon_place AS
            SELECT DISTINCT ON (s.id) s.id, c.id AS child_id, c.home_la_id, p.id AS placement_id
            FROM {SENT_TABLE} s
            JOIN {child_t} c ON c.upn = s.upn AND c.upn <> ''
            LEFT JOIN {placement_t} p ON p.child_id = c.id AND p.provider_id = s.provider_id
                 AND p.status = ANY(%s)
            ORDER BY s.id,
                     (p.start_date <= s.service_to
                      AND (p.end_date IS NULL OR p.end_date >= s.service_from)) DESC NULLS LAST,
                     p.start_date DESC, p.id DESC""",
            [[str(status) for status in STARTED]],
        ),
        (
            f"""CREATE TEMP TABLE recon_rate AS
            SELECT DISTINCT ON (s.id) s.id, r.amount
            FROM {SENT_TABLE} s
            JOIN recon_place k ON k.id = s.id
            JOIN {terms_t} t ON t.placement_id = k.placement_id
            JOIN {rate_t} r ON r.contract_id = t.contract_id
                 AND (r.lot_id = t.lot_id OR r.lot_id IS NULL)
                 AND (r.effective_to IS NULL OR r.effective_to >= s.service_from)
                 AND r.unit = s.unit AND NOT r.is_transport
                 AND r.effective_from <= s.service_from
            ORDER BY s.id, r.lot_id ASC NULLS LAST, r.effective_from DESC, r.id DESC""",
            [],
        ),
        (
            f"""CREATE TEMP TABLE {STAGED_TABLE} AS
            SELECT {sent},
                   k.child_id, k.placement_id,
                   coalesce(pl.answering_la_id, k.home_la_id, o.local_authority_id)
                       AS local_authority_id,
                   t.contract_id, t.lot_id,
                   coalesce(t.charge_mode, '') AS charge_mode,
                   r.amount AS contract_rate,
                   pl.hours_per_week * s.service_weekdays / 5 AS contracted_hours,
                   CASE WHEN k.placement_id IS NULL THEN NULL ELSE (
                       SELECT count(*) FROM {mark_t} m
                       WHERE m.placement_id = k.placement_id
                         AND m.session_date >= s.service_from
                         AND m.session_date <= s.service_to
                         AND m.code = ANY(%s)) END AS attended_sessions,
                   coalesce(ct.cost_centre, '') AS cost_centre,
                   %s AS status
            FROM {SENT_TABLE} s
            LEFT JOIN recon_place k ON k.id = s.id
            LEFT JOIN ({answering_la_sql("hours_per_week")}) pl ON pl.id = k.placement_id
            LEFT JOIN {terms_t} t ON t.placement_id = k.placement_id
            LEFT JOIN {contract_t} ct ON ct.id = t.contract_id
            LEFT JOIN recon_rate r ON r.id = s.id
            LEFT JOIN {org_t} o ON o.id = s.provider_id""",
            [sorted(ATTENDING_CODES), str(LineStatus.MATCHED)],
        ),
        ("DROP TABLE recon_place, recon_rate", []),
        # "Already invoiced" looks for earlier lines of the same batch here.
        (
            f"""CREATE INDEX ON {STAGED_TABLE}
                (child_id, service_from, service_to, invoice_id)""",
            [],
        ),
        (f"ANALYZE {STAGED_TABLE}", []),
    ]
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)


def _flagged() -> tuple[str, list[Any]]:
    """A SELECT of every staged line's `SENT` and `FOUND` columns and its `flags`: the sum of
    each query reason's bit where its condition holds (`reason_conditions`, compiled by
    Django). A line with flags is queried (`_status`)."""
    flags = reduce(
        operator.add,
        (
            Case(When(condition, then=Value(REASON_BITS[reason])), default=Value(0))
            for reason, condition in reason_conditions().items()
        ),
    )
    flagged = StagedLine.objects.order_by().annotate(flags=flags).values(*SENT, *FOUND, "flags")
    sql, params = flagged.query.sql_with_params()
    return sql, list(params)


# From the flags read once (the conditions are not evaluated again for the status).
_STATUS = (
    f"CASE WHEN f.flags > 0 THEN '{LineStatus.QUERIED.value}' ELSE '{LineStatus.MATCHED.value}' END"
)


def _insert() -> None:
    """Write the staged lines to `InvoiceLine`, flagged: one INSERT … SELECT."""
    sql, params = _flagged()
    columns = [*SENT[1:], *FOUND, "query_flags", "status", "decision_reason"]
    values = [*(f"f.{column}" for column in (*SENT[1:], *FOUND, "flags")), _STATUS, "''"]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {InvoiceLine._meta.db_table} ({", ".join(columns)})
            SELECT {", ".join(values)} FROM ({sql}) AS f""",
            params,
        )


def _update() -> None:
    """Write what reconciliation found to the stored lines staged again: one UPDATE … FROM
    (SQLite from 3.33)."""
    sql, params = _flagged()
    table = connection.ops.quote_name(InvoiceLine._meta.db_table)
    found = [*FOUND, "query_flags", "status"]
    values = [*(f"f.{column}" for column in (*FOUND, "flags")), _STATUS]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {table} SET {", ".join(f"{c} = {v}" for c, v in zip(found, values, strict=True))}
            FROM ({sql}) AS f WHERE {table}.id = f.id""",
            params,
        )


def _reconcile_staged(write: Callable[[], None]) -> None:
    if connection.vendor == "postgresql":
        _match_postgresql()
    else:
        _match(StagedLine.objects.all())
    write()
    with connection.cursor() as cursor:
        _drop(cursor)


def _drop(cursor: Any) -> None:
    for table in (SENT_TABLE, STAGED_TABLE):
        cursor.execute(f"DROP TABLE IF EXISTS {table}")


def record(rows: Iterable[Sequence[Any]]) -> None:
    """Reconcile new lines and write them to `InvoiceLine`, each once: `rows` of `SENT`'s
    columns after `id` (invoice, row, UPN, …, provider). Inside the caller's transaction."""
    _stage(_copy_rows(rows))
    _reconcile_staged(_insert)


def record_selected(sql: str, params: Sequence[Any]) -> None:
    """`record` for lines already in the database (the bench's): `sql`, a SELECT of `SENT`'s
    columns."""
    _stage(_select_rows(sql, params))
    _reconcile_staged(_insert)


def reconcile(lines: QuerySet[InvoiceLine]) -> None:
    """Reconcile stored lines again (a rate added from a date, say): staged from the table,
    matched and queried as new lines are, then written back by one UPDATE."""
    sql, params = lines.order_by().values(*SENT).query.sql_with_params()
    _stage(_select_rows(sql, params))
    _reconcile_staged(_update)
