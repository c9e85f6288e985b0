"""Synthetic contracts, rates, placement terms, invoices and the AP budget for one LA.

Every provider the LA commissions from gets a contract: its pupil referral unit a block
contract, other registered providers a framework call-off with lots, non-school providers
spot purchases; school-commissioned placements are funded by the school, a few by a
partnership. Rates match the provider register's, with an uplift from 1 April. Each started
placement is bought on its provider's contract, charged on attended sessions, agreed hours or
bespoke terms, some with transport. Providers invoice monthly for the last completed months;
about one line in six carries a discrepancy, spread over every query reason. Lines are
reconciled by the same set-based rule as real invoices, and all but the latest month are
decided (the approved lines are the spend page's actual spend)."""

import calendar
import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth

from aptrack.accounts.models import User
from aptrack.accounts.roles import Role
from aptrack.attendance.codes import ATTENDING_CODES
from aptrack.attendance.models import AttendanceMark
from aptrack.commissioning import reconcile
from aptrack.commissioning.costs import HOURS_PER_SESSION, WEEKS_PER_TERM
from aptrack.commissioning.invoice_file import weekdays
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
from aptrack.commissioning.spend import FinancialYear
from aptrack.commissioning.states import (
    REASON_BITS,
    ChargeMode,
    ContractKind,
    EventKind,
    Funder,
    InvoiceChannel,
    LineStatus,
    QueryReason,
    RateUnit,
)
from aptrack.organisations.models import LocalAuthority, Organisation
from aptrack.placements.models import Placement

BATCH = 2_000
INVOICED_MONTHS = 3
DISCREPANCY_SHARE = 0.16
LOTS = ("Registered full-time", "Unregistered part-time", "Tuition")
UPLIFT = Decimal("1.03")
CENT = Decimal("0.01")
DISCREPANCIES = (
    "NOT_ATTENDED",
    "OVER_HOURS",
    "RATE_DIFFERS",
    "AMOUNTS_WRONG",
    "ALREADY_INVOICED",
    "BEFORE_START",
    "AFTER_END",
    "NO_PLACEMENT",
)


@dataclass
class CommissioningCreated:
    contracts: int = 0
    invoice_lines: int = 0


def _months(today: dt.date, count: int) -> list[tuple[dt.date, dt.date]]:
    """The last `count` whole months before today's, oldest first."""
    out = []
    year, month = today.year, today.month
    for _ in range(count):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        out.append(
            (dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1]))
        )
    return out[::-1]


def _finance_officer(la: LocalAuthority, council: Organisation, tz: dt.tzinfo) -> User:
    user, _ = User.objects.get_or_create(
        username=f"finance.{la.code}",
        defaults={
            "password": f"{UNUSABLE_PASSWORD_PREFIX}synthetic",
            "first_name": "Finance",
            "last_name": f"Officer {la.code}",
            "email": f"finance.{la.code}@example.org",
            "organisation": council,
            "role": Role.LA_FINANCE,
            "job_title": "Finance officer, high needs",
            "date_joined": dt.datetime(2024, 9, 2, 9, tzinfo=tz),
        },
    )
    return user


def create_commissioning(
    *,
    rng: random.Random,
    la: LocalAuthority,
    council: Organisation,
    placements: list[Placement],
    provider_staff: dict[int, Any],
    today: dt.date,
    tz: dt.tzinfo,
) -> CommissioningCreated:
    created = CommissioningCreated()
    now = dt.datetime.combine(today, dt.time(9), tzinfo=tz)
    finance = _finance_officer(la, council, tz)
    started = [p for p in placements if p.status in ("ACTIVE", "ENDED")]
    providers = {
        o.pk: o
        for o in Organisation.objects.filter(
            pk__in={p.provider_id for p in started}
        ).select_related("provider")
    }
    year_start = dt.date(today.year if today.month >= 9 else today.year - 1, 9, 1)
    april = dt.date(year_start.year + 1, 4, 1)

    # Contracts and rates, one per provider and funder.
    contracts: dict[tuple[int, str], Contract] = {}
    lots: dict[int, list[Lot]] = {}
    rates: list[Rate] = []
    hourly: dict[int, Decimal] = {}
    for key in sorted({(p.provider_id, _funder(p)) for p in started}):
        organisation = providers[key[0]]
        record = getattr(organisation, "provider", None)
        rate = (
            record.hourly_rate
            if record is not None and record.hourly_rate is not None
            else (record.daily_rate / 5).quantize(CENT)
            if record is not None and record.daily_rate is not None
            else Decimal(rng.randint(18, 45))
        )
        hourly[key[0]] = rate
        kind = (
            ContractKind.BLOCK
            if record is not None and record.kind == "PRU"
            # Registered providers, and half the non-school ones, are on the LA's framework
            # (a dynamic purchasing system); the rest are bought spot.
            else ContractKind.FRAMEWORK
            if record is not None and (record.is_registered or organisation.pk % 2 == 0)
            else ContractKind.SPOT
        )
        block = {}
        if kind == ContractKind.BLOCK:
            places = max(5, sum(1 for p in started if p.provider_id == key[0]) + rng.randint(0, 6))
            weeks = 52
            block = {
                "places": places,
                "block_price": (rate * 25 * weeks * places).quantize(Decimal(1)),
                "end_date": year_start + dt.timedelta(days=weeks * 7 - 1),
            }
        contract = Contract.objects.create(
            local_authority=la,
            provider=organisation,
            reference=f"{la.code}-{kind[:2]}-{len(contracts) + 1:04d}",
            kind=kind,
            funder=key[1],
            framework_name="AP framework 2025-2029" if kind == ContractKind.FRAMEWORK else "",
            start_date=year_start,
            cost_centre=f"{la.code}AP{ {'HIGH_NEEDS': 1, 'SCHOOL': 2, 'PARTNERSHIP': 3}[key[1]] }0",
            created_at=now,
            **block,
        )
        contracts[key] = contract
        if kind == ContractKind.FRAMEWORK:
            lots[contract.pk] = Lot.objects.bulk_create(
                Lot(contract=contract, name=n) for n in LOTS
            )
        for start, end, factor in (
            (year_start, april - dt.timedelta(days=1), Decimal(1)),
            (april, None, UPLIFT),
        ):
            hour = (rate * factor).quantize(CENT)
            for unit, amount in (
                (RateUnit.HOUR, hour),
                (RateUnit.SESSION, hour * HOURS_PER_SESSION),
                (RateUnit.DAY, hour * 2 * HOURS_PER_SESSION),
                (RateUnit.WEEK, hour * 25),
                (RateUnit.TERM, hour * 25 * WEEKS_PER_TERM),
            ):
                rates.append(
                    Rate(
                        contract=contract,
                        unit=unit,
                        amount=amount.quantize(CENT),
                        effective_from=start,
                        effective_to=end,
                    )
                )
        rates.append(
            Rate(
                contract=contract,
                unit=RateUnit.WEEK,
                amount=Decimal(rng.randint(30, 90)),
                effective_from=year_start,
                is_transport=True,
            )
        )
    Rate.objects.bulk_create(rates, batch_size=BATCH)
    created.contracts = len(contracts)

    # The terms each started placement is bought on.
    modes = {}
    terms = []
    for p in started:
        contract = contracts[(p.provider_id, _funder(p))]
        mode = rng.choices(
            [ChargeMode.ATTENDED, ChargeMode.AGREED, ChargeMode.BESPOKE], weights=[60, 35, 5]
        )[0]
        modes[p.pk] = mode
        contract_lots = lots.get(contract.pk)
        terms.append(
            PlacementTerms(
                placement=p,
                contract=contract,
                lot=rng.choice(contract_lots) if contract_lots else None,
                charge_mode=mode,
                bespoke_terms="Daily rate for days attended, plus two tutor hours a week"
                if mode == ChargeMode.BESPOKE
                else "",
                transport_weekly_cost=Decimal(rng.choice([0, 0, 0, 0, 35, 60])),
                set_by=finance,
                set_at=now,
            )
        )
    PlacementTerms.objects.bulk_create(terms, batch_size=BATCH)

    # This year's budget, and last year's.
    weekly = sum((p.weekly_cost or Decimal(0)) for p in started if p.status == "ACTIVE")
    HighNeedsBudget.objects.bulk_create(
        HighNeedsBudget(
            local_authority=la,
            financial_year=year,
            amount=(weekly * 39 * Decimal(rng.uniform(0.9, 1.2))).quantize(Decimal(1000)) + 1000,
            set_at=now,
        )
        for year in (FinancialYear.of(today).year - 1, FinancialYear.of(today).year)
    )

    created.invoice_lines = _invoices(
        rng, la, started, modes, hourly, provider_staff, finance, today, now, april
    )
    return created


def _funder(placement: Placement) -> str:
    """Who pays for a placement: a school-commissioned one the school; one in twenty of the
    LA's a partnership (decided by the placement's id, so it is the same each time asked)."""
    if placement.commissioning_school_id:
        return Funder.SCHOOL
    return Funder.PARTNERSHIP if placement.pk % 20 == 0 else Funder.HIGH_NEEDS


def _invoices(
    rng: random.Random,
    la: LocalAuthority,
    started: list[Placement],
    modes: dict[int, ChargeMode],
    hourly: dict[int, Decimal],
    provider_staff: dict[int, Any],
    finance: User,
    today: dt.date,
    now: dt.datetime,
    april: dt.date,
) -> int:
    months = _months(today, INVOICED_MONTHS)
    upns = dict(
        Placement.objects.filter(pk__in=[p.pk for p in started]).values_list("pk", "child__upn")
    )
    attended: dict[tuple[int, dt.date], int] = {
        (
            row["placement_id"],
            row["month"].date() if isinstance(row["month"], dt.datetime) else row["month"],
        ): row["n"]
        for row in AttendanceMark.objects.filter(
            placement_id__in=list(upns),
            session_date__gte=months[0][0],
            code__in=sorted(ATTENDING_CODES),
        )
        .annotate(month=TruncMonth("session_date"))
        .values("placement_id", "month")
        .annotate(n=Count("pk"))
    }
    by_provider: dict[int, list[Placement]] = defaultdict(list)
    for p in started:
        if upns.get(p.pk):
            by_provider[p.provider_id].append(p)
    invoices: list[Invoice] = []
    rows: list[tuple[int, dict[str, Any]]] = []  # (invoice index, line fields)
    last_lines: dict[int, dict[str, Any]] = {}
    for provider_id, placed in sorted(by_provider.items()):
        for m, (first, last) in enumerate(months):
            index = len(invoices)
            invoices.append(
                Invoice(
                    provider_id=provider_id,
                    invoice_number=f"{la.code}-{provider_id}-{first:%Y%m}",
                    invoice_date=last + dt.timedelta(days=3),
                    channel=rng.choice(list(InvoiceChannel)),
                    source_name="synthetic",
                    received_by=provider_staff.get(provider_id),
                    received_at=now - dt.timedelta(days=30 * (len(months) - m)),
                )
            )
            for p in placed:
                start = max(first, p.start_date)
                end = min(last, p.end_date or last)
                if start > end:
                    continue
                mode = modes[p.pk]
                uplift = UPLIFT if start >= april else Decimal(1)
                rate = (hourly[provider_id] * uplift).quantize(CENT)
                line = _line(p, upns[p.pk], start, end, mode, attended.get((p.pk, first), 0), rate)
                if line is None:
                    continue
                if rng.random() < DISCREPANCY_SHARE:
                    kind = rng.choice(DISCREPANCIES)
                    if kind == "ALREADY_INVOICED" and p.pk in last_lines and m > 0:
                        rows.append((index, dict(last_lines[p.pk])))
                    _spoil(line, kind, p, rng, elsewhere=rng.choice(started))
                last_lines[p.pk] = line
                rows.append((index, line))
    Invoice.objects.bulk_create(invoices, batch_size=BATCH)
    row_numbers: dict[int, int] = defaultdict(lambda: 1)
    lines = []
    for index, fields in rows:
        row_numbers[index] += 1
        invoice = invoices[index]
        lines.append(
            (
                invoice.pk,
                row_numbers[index],
                fields["upn"],
                fields["service_from"],
                fields["service_to"],
                str(fields["unit"]),
                fields["quantity"],
                fields["unit_rate"],
                fields["net_amount"],
                fields["vat_amount"],
                weekdays(fields["service_from"], fields["service_to"]),
                invoice.provider_id,
            )
        )
    # Staged, reconciled and written once, as `record_invoices` does.
    reconcile.record(lines)
    InvoiceEvent.objects.bulk_create(
        (
            InvoiceEvent(
                invoice=i, kind=EventKind.RECEIVED, at=i.received_at, data={"channel": i.channel}
            )
            for i in invoices
        ),
        batch_size=BATCH,
    )
    _decide_earlier_months(invoices, months, finance, now)
    return len(lines)


def _line(
    p: Placement, upn: str, start: dt.date, end: dt.date, mode: str, attended: int, rate: Decimal
) -> dict[str, Any] | None:
    days = weekdays(start, end)
    if mode == ChargeMode.ATTENDED:
        # The sessions attended, up to the agreed hours (a part-time child's other sessions
        # are not bought).
        agreed = int(p.hours_per_week * days / 5 / HOURS_PER_SESSION)
        quantity = Decimal(min(attended, agreed))
        unit, unit_rate = RateUnit.SESSION, rate * HOURS_PER_SESSION
    else:
        unit, quantity, unit_rate = (
            RateUnit.HOUR,
            (p.hours_per_week * days / 5).quantize(CENT),
            rate,
        )
    if quantity <= 0:
        return None
    unit_rate = unit_rate.quantize(CENT)
    return {
        "upn": upn,
        "service_from": start,
        "service_to": end,
        "unit": unit,
        "quantity": quantity,
        "unit_rate": unit_rate,
        "net_amount": (quantity * unit_rate).quantize(CENT),
        "vat_amount": Decimal(0),
    }


def _spoil(
    line: dict[str, Any],
    kind: str,
    p: Placement,
    rng: random.Random,
    *,
    elsewhere: Placement,
) -> None:
    """Make one line wrong in the way `kind` names (ALREADY_INVOICED is the repeat itself)."""
    if kind == "NOT_ATTENDED" and line["unit"] == RateUnit.SESSION:
        line["quantity"] += rng.randint(2, 6)
    elif kind == "OVER_HOURS":
        if line["unit"] == RateUnit.SESSION:
            line["unit_rate"] = (line["unit_rate"] / HOURS_PER_SESSION).quantize(CENT)
            days = weekdays(line["service_from"], line["service_to"])
            line["quantity"] = p.hours_per_week * days / 5
        line["unit"] = RateUnit.HOUR
        line["quantity"] = (line["quantity"] * Decimal("1.3")).quantize(CENT)
    elif kind == "RATE_DIFFERS":
        line["unit_rate"] = (line["unit_rate"] * Decimal("1.08")).quantize(CENT)
    elif kind == "BEFORE_START":
        line["service_from"] = min(line["service_from"], p.start_date - dt.timedelta(days=7))
    elif kind == "AFTER_END" and p.end_date:
        line["service_to"] = p.end_date + dt.timedelta(days=rng.randint(3, 14))
    elif kind == "NO_PLACEMENT" and elsewhere.provider_id != p.provider_id:
        line["upn"] = elsewhere.child.upn
    line["net_amount"] = (line["quantity"] * line["unit_rate"]).quantize(CENT)
    if kind == "AMOUNTS_WRONG":
        line["net_amount"] += Decimal(rng.choice([10, 25, 50]))


def _decide_earlier_months(
    invoices: list[Invoice], months: list[tuple[dt.date, dt.date]], finance: User, now: dt.datetime
) -> None:
    """The finance officer has approved every month's matched lines but the latest's (still in
    the work queue) and rejected their lines charged for days not attended: the approved lines
    are the LA's actual spend on the spend page."""
    oldest = [i.pk for i in invoices if i.invoice_date <= months[-2][1] + dt.timedelta(days=3)]
    refused = REASON_BITS[QueryReason.NOT_ATTENDED] | REASON_BITS[QueryReason.ALREADY_INVOICED]
    lines = InvoiceLine.objects.filter(invoice_id__in=oldest).annotate(
        refused=F("query_flags").bitand(refused)
    )
    decided = []
    for status, condition, reason in (
        (LineStatus.APPROVED, Q(status=LineStatus.MATCHED), ""),
        (
            LineStatus.REJECTED,
            Q(status=LineStatus.QUERIED, refused__gt=0),
            "Charged for sessions not attended, or charged twice",
        ),
    ):
        chosen = list(lines.filter(condition).values_list("pk", "invoice_id"))
        InvoiceLine.objects.filter(pk__in=[pk for pk, _ in chosen]).update(
            status=status, decision_reason=reason, decided_by=finance, decided_at=now
        )
        kind = EventKind.APPROVED if status == LineStatus.APPROVED else EventKind.REJECTED
        decided += [
            InvoiceEvent(
                invoice_id=inv, line_id=pk, kind=kind, actor=finance, at=now, reason=reason
            )
            for pk, inv in chosen
        ]
    InvoiceEvent.objects.bulk_create(decided, batch_size=BATCH)
