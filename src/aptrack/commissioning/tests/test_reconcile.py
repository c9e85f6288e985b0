"""Every line is reconciled to the placement, its contract and charge mode, and the marks:
matched, or queried with each reason."""

import datetime as dt

import pytest
from django.utils import timezone

from aptrack.commissioning import services
from aptrack.commissioning.invoice_file import read_rows
from aptrack.commissioning.models import InvoiceLine
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
