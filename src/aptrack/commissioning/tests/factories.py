"""Contracts, rates and invoice files for tests."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from aptrack.attendance.models import AttendanceMark, MarkBatch
from aptrack.commissioning import services
from aptrack.commissioning.invoice_file import COLUMNS
from aptrack.commissioning.models import Contract, Rate
from aptrack.commissioning.states import ChargeMode, ContractKind, RateUnit
from aptrack.placements.models import Placement

MONDAY = dt.date(2026, 9, 7)  # the factories' placements start then
RATES = {
    RateUnit.HOUR: Decimal(20),
    RateUnit.SESSION: Decimal(50),
    RateUnit.DAY: Decimal(100),
    RateUnit.WEEK: Decimal(500),
}


def make_contract(
    *, placement: Placement, kind: ContractKind = ContractKind.SPOT, **fields: Any
) -> Contract:
    la = placement.commissioning_la or placement.child.home_la
    contract = Contract.objects.create(
        local_authority=la,
        provider=placement.provider,
        reference=fields.pop("reference", f"C-{placement.pk}"),
        kind=kind,
        start_date=dt.date(2026, 9, 1),
        cost_centre=fields.pop("cost_centre", "AP100"),
        created_at=timezone.now(),
        **fields,
    )
    for unit, amount in RATES.items():
        Rate.objects.create(
            contract=contract, unit=unit, amount=amount, effective_from=dt.date(2026, 9, 1)
        )
    return contract


def buy(placement: Placement, by: Any, mode: ChargeMode = ChargeMode.ATTENDED) -> Contract:
    contract = make_contract(placement=placement)
    services.set_placement_terms(
        placement=placement, contract=contract, charge_mode=mode, by=by, at=timezone.now()
    )
    return contract


def mark_week(placement: Placement, *, present: int, monday: dt.date = MONDAY) -> None:
    """Ten sessions Monday to Friday: the first `present` present, the rest N."""
    batch = MarkBatch.objects.create(
        provider=placement.provider, channel="REGISTER", recorded_at=timezone.now()
    )
    marks = []
    for i in range(10):
        day, session = monday + dt.timedelta(days=i // 2), ("AM", "PM")[i % 2]
        code = ("/" if session == "AM" else "\\") if i < present else "N"
        marks.append(
            AttendanceMark(
                placement=placement, session_date=day, session=session, code=code, batch=batch
            )
        )
    AttendanceMark.objects.bulk_create(marks)


def row(**values: Any) -> dict[str, str]:
    """A line of a week's sessions at the contract rate, with `values` changed."""
    line = {
        "invoice_number": "INV-1",
        "invoice_date": "2026-09-14",
        "upn": "",
        "service_from": "2026-09-07",
        "service_to": "2026-09-11",
        "unit": "session",
        "quantity": "8",
        "unit_rate": "50.00",
        "net_amount": "400.00",
        "vat_amount": "0.00",
    }
    line.update({key: str(value) for key, value in values.items()})
    return line


def csv_bytes(rows: list[dict[str, str]], *, encoding: str = "utf-8", columns=COLUMNS) -> bytes:
    lines = [",".join(columns)] + [",".join(r.get(c, "") for c in columns) for r in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)
