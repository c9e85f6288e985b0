"""The finance officer's queue, decisions and export; a provider's upload, statuses and
remittance; the API; and who sees nothing."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from aptrack.accounts import services as account_services
from aptrack.accounts.roles import Role
from aptrack.accounts.tests.factories import UserFactory
from aptrack.audit.models import AuditAction, AuditEvent
from aptrack.commissioning import services
from aptrack.commissioning.invoice_file import read_rows
from aptrack.commissioning.models import Invoice, InvoiceEvent, InvoiceLine
from aptrack.commissioning.states import ChargeMode, InvoiceChannel, LineStatus
from aptrack.commissioning.tests.factories import buy, csv_bytes, mark_week, row
from aptrack.placements.models import Placement

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoice(world):
    placement = Placement.objects.get(child=world.child_a)
    buy(placement, world.manager_a, ChargeMode.ATTENDED)
    mark_week(placement, present=8)
    report = services.record_invoices(
        provider=world.provider_x.organisation,
        lines=read_rows(
            [
                row(upn=world.child_a.upn),
                row(upn=world.child_a.upn, quantity=10, net_amount=500, service_from="2026-09-07"),
            ]
        ),
        channel=InvoiceChannel.UPLOAD,
        by=world.provider_x,
        at=timezone.now(),
    )
    return Invoice.objects.get(pk=report.invoice_ids[0])


@pytest.fixture
def finance_b(world):
    return UserFactory(organisation=world.officer_b.organisation, role=Role.LA_FINANCE)


def test_the_queue_shows_invoices_with_lines_to_decide(client, world, invoice):
    client.force_login(world.finance_a)
    body = client.get(reverse("commissioning:invoices")).content.decode()
    assert invoice.invoice_number in body and "Provider X" in body


def test_the_invoice_names_each_discrepancy_and_records_the_reads(client, world, invoice):
    client.force_login(world.finance_a)
    body = client.get(reverse("commissioning:invoice", args=[invoice.pk])).content.decode()
    assert "Sessions charged but not attended" in body
    assert "8 sessions attended; 10.0 charged" in body
    assert "Marchbank" in body
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEWED, actor=world.finance_a, child_id=world.child_a.pk
    ).exists()


def test_another_las_finance_officer_and_another_provider_see_nothing(
    client, world, invoice, finance_b
):
    for user in (finance_b, world.provider_z, world.officer_a, world.manager_a):
        client.force_login(user)
        listing = client.get(reverse("commissioning:invoices"))
        assert listing.status_code in (200, 403)
        assert invoice.invoice_number.encode() not in listing.content
        assert client.get(reverse("commissioning:invoice", args=[invoice.pk])).status_code in (
            403,
            404,
        )
        decided = client.post(
            reverse("commissioning:decide", args=[invoice.pk]),
            {"lines": [line.pk for line in invoice.lines.all()], "decision": "APPROVE"},
        )
        assert decided.status_code in (403, 404)
    assert not InvoiceLine.objects.filter(status=LineStatus.APPROVED).exists()


def test_approve_query_and_reject_with_reasons_each_audited(client, world, invoice):
    matched, queried = invoice.lines.order_by("row_number")
    client.force_login(world.finance_a)
    url = reverse("commissioning:decide", args=[invoice.pk])
    refused = client.post(url, {"lines": [queried.pk], "decision": "REJECT", "reason": ""})
    assert refused.status_code == 400 and "Give a reason to reject" in refused.content.decode()
    refused = client.post(url, {"lines": [queried.pk], "decision": "APPROVE", "reason": ""})
    assert "Give a reason to approve a line reconciliation queried" in refused.content.decode()
    assert client.post(url, {"lines": [matched.pk], "decision": "APPROVE"}).status_code == 302
    client.post(url, {"lines": [queried.pk], "decision": "QUERY", "reason": "Send registers"})
    client.post(url, {"lines": [queried.pk], "decision": "REJECT", "reason": "Not attended"})
    matched.refresh_from_db()
    queried.refresh_from_db()
    assert (matched.status, queried.status, queried.decision_reason) == (
        LineStatus.APPROVED,
        LineStatus.REJECTED,
        "Not attended",
    )
    assert list(
        InvoiceEvent.objects.filter(line__isnull=False)
        .order_by("pk")
        .values_list("kind", "actor__username", "reason")
    ) == [
        ("APPROVED", "finance_a", ""),
        ("QUERIED", "finance_a", "Send registers"),
        ("REJECTED", "finance_a", "Not attended"),
    ]
    again = client.post(url, {"lines": [matched.pk], "decision": "REJECT", "reason": "Oops"})
    assert "already approved" in again.content.decode()


def test_the_provider_sees_statuses_and_the_remittance(client, world, invoice):
    matched = invoice.lines.get(row_number=1)
    services.decide_lines(
        lines=[matched], decision="APPROVE", reason="", by=world.finance_a, at=timezone.now()
    )
    client.force_login(world.provider_x)
    body = client.get(reverse("commissioning:invoice", args=[invoice.pk])).content.decode()
    assert "Approved" in body and "Queried" in body
    assert "£400.00" in body  # the remittance: what was approved
    listing = client.get(reverse("commissioning:invoices")).content.decode()
    assert invoice.invoice_number in listing


def test_the_export_has_one_line_per_cost_centre_and_provider(client, world, invoice):
    services.decide_lines(
        lines=list(invoice.lines.all()),
        decision="APPROVE",
        reason="Registers checked",
        by=world.finance_a,
        at=timezone.now(),
    )
    client.force_login(world.finance_a)
    response = client.get(reverse("commissioning:export"))
    body = b"".join(response.streaming_content if response.streaming else [response.content])
    lines = body.decode().strip().splitlines()
    assert lines[0] == "cost_centre,provider,provider_id,invoices,lines,net,vat,gross"
    assert lines[1].startswith("AP100,Provider X,") and lines[1].endswith(",1,2,900.00,0.00,900.00")
    assert len(lines) == 2
    client.force_login(world.provider_x)
    assert client.get(reverse("commissioning:export")).status_code == 403


def test_a_provider_uploads_an_invoice_file(client, world):
    client.force_login(world.provider_x)
    data = csv_bytes([row(upn=world.child_a.upn)])
    response = client.post(
        reverse("commissioning:upload"), {"file": SimpleUploadedFile("inv.csv", data)}
    )
    assert response.status_code == 302
    assert Invoice.objects.get().channel == InvoiceChannel.UPLOAD


def test_a_malformed_upload_names_the_problem_and_records_nothing(client, world):
    client.force_login(world.provider_x)
    data = csv_bytes([row(upn=world.child_a.upn, quantity="lots")])
    response = client.post(
        reverse("commissioning:upload"), {"file": SimpleUploadedFile("inv.csv", data)}
    )
    body = response.content.decode()
    assert "&#39;lots&#39; is not a number" in body and "quantity" in body
    assert not Invoice.objects.exists()


def test_only_providers_upload(client, world):
    client.force_login(world.finance_a)
    assert client.get(reverse("commissioning:upload")).status_code == 403


def _api(client, user, lines):
    _, token = account_services.issue_api_token(user=user, name="Finance", at=timezone.now())
    return client.post(
        "/api/v1/invoices",
        json.dumps({"lines": lines}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def test_the_api_records_and_reconciles_through_the_same_service(client, world):
    response = _api(client, world.provider_x, [row(upn=world.child_a.upn), row(upn="NOPE1")])
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["lines"], body["matched"], body["queried"]) == (2, 1, 1)
    assert body["by_reason"] == {"NO_PLACEMENT": 1}
    assert Invoice.objects.get().channel == InvoiceChannel.API


def test_the_api_refuses_a_bad_line_and_records_nothing(client, world):
    response = _api(client, world.provider_x, [row(upn="A", service_to="someday")])
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "service_to"
    assert not Invoice.objects.exists()


def test_the_api_is_for_providers_only(client, world):
    assert _api(client, world.finance_a, [row(upn="A")]).status_code == 403
