"""Every line is reconciled to the placement, its contract and charge mode, and the marks:
matched, or queried with each reason."""

import dataclasses
import datetime as dt

import pytest
from django.utils import timezone

from aptrack.attendance.models import AttendanceMark
from aptrack.commissioning import services
from aptrack.commissioning.invoice_file import read_rows
from aptrack.commissioning.models import Invoice, InvoiceLine
from aptrack.commissioning.states import (
    ChargeMode,
    InvoiceChannel,
    LineStatus,
    QueryReason,
    reasons_of,
)
from aptrack.commissioning.tests.factories import buy, mark_week, row
from aptrack.placements.models import Placement

pytestmark = pytest.mark.django_db


def _record(world, rows, by=None):
    return services.record_invoices(
        provider=world.provider_x.organisation,
        lines=read_rows(rows),
        channel=InvoiceChannel.COMMAND,
        by=by or world.provider_x,
        at=timezone.now(),
    )


def _reasons(world, mode=ChargeMode.AGREED, present=10, **values):
    placement = Placement.objects.get(child=world.child_a)
    buy(placement, world.manager_a, mode)
    mark_week(placement, present=present)
    _record(world, [row(upn=world.child_a.upn, **values)])
    line = InvoiceLine.objects.get()
    return set(reasons_of(line.query_flags)), line


def test_a_line_as_contracted_and_attended_is_matched(world):
    reasons, line = _reasons(world, ChargeMode.ATTENDED, present=8)
    assert (reasons, line.status, line.attended_sessions) == (set(), LineStatus.MATCHED, 8)
    assert (line.contract_rate, line.cost_centre) == (50, "AP100")
    assert line.local_authority == world.child_a.home_la


def test_sessions_charged_but_not_attended(world):
    reasons, line = _reasons(world, ChargeMode.ATTENDED, present=6)
    assert reasons == {QueryReason.NOT_ATTENDED}
    assert line.status == LineStatus.QUERIED


def test_all_agreed_hours_mode_does_not_count_marks(world):
    reasons, _ = _reasons(world, ChargeMode.AGREED, present=0)
    assert reasons == set()


def test_more_hours_than_contracted(world):
    # 25 hours a week agreed; 30 charged.
    reasons, _ = _reasons(world, unit="hour", quantity=30, unit_rate=20, net_amount=600)
    assert reasons == {QueryReason.OVER_HOURS}


def test_rate_differs_from_the_contract(world):
    reasons, _ = _reasons(world, unit="day", quantity=4, unit_rate=110, net_amount=440)
    assert reasons == {QueryReason.RATE_DIFFERS}


@pytest.mark.parametrize(("net", "vat"), [("450.00", "0"), ("400.00", "50.00")])
def test_amounts_that_do_not_add_up(world, net, vat):
    reasons, _ = _reasons(world, net_amount=net, vat_amount=vat)
    assert reasons == {QueryReason.AMOUNTS_WRONG}


def test_vat_at_twenty_percent_adds_up(world):
    reasons, _ = _reasons(world, vat_amount="80.00")
    assert reasons == set()


def test_service_before_the_placement_started(world):
    reasons, _ = _reasons(world, service_from="2026-09-03", quantity=8)
    assert reasons == {QueryReason.BEFORE_START}


def test_service_after_the_placement_ended(world):
    placement = Placement.objects.get(child=world.child_a)
    Placement.objects.filter(pk=placement.pk).update(status="ENDED", end_date=dt.date(2026, 9, 9))
    reasons, _ = _reasons(world)
    assert reasons == {QueryReason.AFTER_END}


def test_no_placement_with_this_provider(world):
    _record(world, [row(upn=world.child_b.upn), row(upn="Z999999999999", row=3)])
    lines = InvoiceLine.objects.order_by("row_number")
    assert [set(reasons_of(line.query_flags)) for line in lines] == [{QueryReason.NO_PLACEMENT}] * 2
    assert lines[0].child == world.child_b  # named, for the officer of the LA invoiced


def test_a_line_already_invoiced_on_an_earlier_invoice(world):
    placement = Placement.objects.get(child=world.child_a)
    buy(placement, world.manager_a, ChargeMode.AGREED)
    _record(world, [row(upn=world.child_a.upn)])
    _record(world, [row(upn=world.child_a.upn, invoice_number="INV-2")])
    first, second = InvoiceLine.objects.order_by("invoice_id")
    assert (first.query_flags, set(reasons_of(second.query_flags))) == (
        0,
        {QueryReason.ALREADY_INVOICED},
    )


def test_a_rejected_line_may_be_invoiced_again(world):
    placement = Placement.objects.get(child=world.child_a)
    buy(placement, world.manager_a, ChargeMode.AGREED)
    _record(world, [row(upn=world.child_a.upn)])
    services.decide_lines(
        lines=list(InvoiceLine.objects.all()),
        decision="REJECT",
        reason="Wrong week",
        by=world.manager_a,
        at=timezone.now(),
    )
    _record(world, [row(upn=world.child_a.upn, invoice_number="INV-2")])
    assert InvoiceLine.objects.order_by("invoice_id").last().query_flags == 0


def test_a_line_has_each_of_its_reasons(world):
    reasons, _ = _reasons(
        world, ChargeMode.ATTENDED, present=2, unit_rate=60, net_amount=1, service_from="2026-09-04"
    )
    assert reasons == {
        QueryReason.NOT_ATTENDED,
        QueryReason.RATE_DIFFERS,
        QueryReason.AMOUNTS_WRONG,
        QueryReason.BEFORE_START,
    }


def test_the_report_counts_lines_by_reason(world):
    placement = Placement.objects.get(child=world.child_a)
    buy(placement, world.manager_a, ChargeMode.ATTENDED)
    mark_week(placement, present=8)
    report = _record(
        world,
        [row(upn=world.child_a.upn), row(upn=world.child_a.upn, quantity=10, net_amount=500)],
    )
    assert (report.lines, report.matched, report.queried) == (2, 1, 1)
    assert report.by_reason == {QueryReason.NOT_ATTENDED: 1}
    assert [line.row_number for line in report.queried_lines] == [2]


def test_a_new_rate_from_a_date_leaves_earlier_lines_matched(client, world):
    """A price change is a new rate from a date: lines for days before it are still checked
    against the old rate, re-reconciled or sent later; lines from the date against the new."""
    from django.urls import reverse

    from aptrack.commissioning import reconcile

    placement = Placement.objects.get(child=world.child_a)
    contract = buy(placement, world.manager_a, ChargeMode.AGREED)
    _record(world, [row(upn=world.child_a.upn)])
    client.force_login(world.officer_a)
    response = client.post(
        reverse("commissioning:rate_new", args=[contract.pk]),
        {
            "unit": "SESSION",
            "amount": "55",
            "effective_from-day": 5,
            "effective_from-month": 10,
            "effective_from-year": 2026,
        },
    )
    assert response.status_code == 302
    first = InvoiceLine.objects.get()
    reconcile.reconcile(InvoiceLine.objects.filter(pk=first.pk))
    first.refresh_from_db()
    assert (first.status, first.contract_rate) == (LineStatus.MATCHED, 50)
    week = {"service_from": "2026-10-05", "service_to": "2026-10-09", "invoice_number": "INV-2"}
    _record(
        world,
        [
            row(
                upn=world.child_a.upn,
                invoice_number="INV-2",
                row=2,
                service_from="2026-09-14",
                service_to="2026-09-18",
            ),
            row(upn=world.child_a.upn, row=3, unit_rate="55.00", net_amount="440.00", **week),
            row(
                upn=world.child_a.upn,
                row=4,
                **{**week, "service_from": "2026-10-12", "service_to": "2026-10-16"},
            ),
        ],
    )
    lines = InvoiceLine.objects.filter(invoice__invoice_number="INV-2").order_by("row_number")
    assert [(line.contract_rate, set(reasons_of(line.query_flags))) for line in lines] == [
        (50, set()),
        (55, set()),
        (55, {QueryReason.RATE_DIFFERS}),
    ]


def test_a_line_repeated_on_a_later_invoice_of_the_same_file_is_already_invoiced(world):
    """The lines of a file are reconciled together before any is stored: a later invoice's
    line is checked against the earlier invoice's, staged with it, as against stored ones."""
    placement = Placement.objects.get(child=world.child_a)
    buy(placement, world.manager_a, ChargeMode.AGREED)
    report = _record(
        world,
        [
            row(upn=world.child_a.upn),
            row(upn=world.child_a.upn),  # the same invoice: a second line, not a second invoice
            row(upn=world.child_a.upn, invoice_number="INV-2"),
        ],
    )
    lines = InvoiceLine.objects.order_by("invoice_id", "row_number")
    assert [set(reasons_of(line.query_flags)) for line in lines] == [
        set(),
        set(),
        {QueryReason.ALREADY_INVOICED},
    ]
    assert [line.status for line in lines] == [
        LineStatus.MATCHED,
        LineStatus.MATCHED,
        LineStatus.QUERIED,
    ]
    assert (report.matched, report.queried) == (2, 1)


def test_staged_lines_are_stored_with_what_matching_found(world):
    placement = Placement.objects.get(child=world.child_a)
    contract = buy(placement, world.manager_a, ChargeMode.ATTENDED)
    mark_week(placement, present=8)
    _record(world, [row(upn=world.child_a.upn, vat_amount="80.00")])
    line = InvoiceLine.objects.get()
    assert (
        line.child,
        line.placement,
        line.contract,
        line.lot,
        line.charge_mode,
        line.contract_rate,
        line.contracted_hours,
        line.attended_sessions,
        line.cost_centre,
        line.local_authority,
        line.service_weekdays,
        line.provider,
        line.decision_reason,
    ) == (
        world.child_a,
        placement,
        contract,
        None,
        ChargeMode.ATTENDED,
        50,
        placement.hours_per_week,
        8,
        "AP100",
        world.child_a.home_la,
        5,
        world.provider_x.organisation,
        "",
    )


def test_a_file_refused_when_its_lines_are_written_leaves_nothing_behind(world):
    """A line the table refuses (here, dates out of order, which the file reader would have
    caught) undoes the whole file, invoices and staged lines included; the next file is
    recorded as usual."""
    from django.db import IntegrityError

    placement = Placement.objects.get(child=world.child_a)
    buy(placement, world.manager_a, ChargeMode.AGREED)
    upn = world.child_a.upn
    good, later = read_rows([row(upn=upn), row(upn=upn, invoice_number="INV-2")])
    bad = dataclasses.replace(later, service_from=dt.date(2026, 9, 12))
    with pytest.raises(IntegrityError):
        services.record_invoices(
            provider=world.provider_x.organisation,
            lines=[good, bad],
            channel=InvoiceChannel.COMMAND,
            by=world.provider_x,
            at=timezone.now(),
        )
    assert Invoice.objects.count() == InvoiceLine.objects.count() == 0
    report = _record(world, [row(upn=world.child_a.upn)])
    assert (report.lines, report.matched) == (1, 1)


def test_reconciling_stored_lines_again_writes_only_those(world):
    placement = Placement.objects.get(child=world.child_a)
    buy(placement, world.manager_a, ChargeMode.ATTENDED)
    mark_week(placement, present=6)
    _record(world, [row(upn=world.child_a.upn), row(upn=world.child_a.upn)])
    first, second = InvoiceLine.objects.order_by("row_number")
    assert set(reasons_of(first.query_flags)) == {QueryReason.NOT_ATTENDED}
    AttendanceMark.objects.filter(placement=placement).update(code="/")
    from aptrack.commissioning import reconcile

    reconcile.reconcile(InvoiceLine.objects.filter(pk=first.pk))
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.query_flags, first.attended_sessions) == (
        LineStatus.MATCHED,
        0,
        10,
    )
    assert (second.status, second.attended_sessions) == (LineStatus.QUERIED, 6)
