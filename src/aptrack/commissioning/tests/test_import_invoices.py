"""The command line: a malformed file writes nothing, names row, column and reason, and exits
non-zero; a well-formed one is recorded and summarised by reason."""

import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from aptrack.commissioning.invoice_file import COLUMNS
from aptrack.commissioning.models import Invoice, InvoiceLine
from aptrack.commissioning.states import ChargeMode
from aptrack.commissioning.tests.factories import buy, csv_bytes, mark_week, row
from aptrack.placements.models import Placement
from aptrack.returns.tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(world):
    return ProviderFactory(organisation=world.provider_x.organisation)


def _run(path, provider):
    from io import StringIO

    out = StringIO()
    call_command("import-invoices", str(path), "--provider-id", str(provider.pk), stdout=out)
    return out.getvalue()


def _refused(tmp_path, provider, data):
    path = tmp_path / "invoice.csv"
    path.write_bytes(data)
    from io import StringIO

    out = StringIO()
    with pytest.raises(CommandError, match="nothing was recorded"):
        call_command("import-invoices", str(path), "--provider-id", str(provider.pk), stdout=out)
    assert Invoice.objects.count() == InvoiceLine.objects.count() == 0
    return out.getvalue()


def test_a_well_formed_file_is_recorded_with_a_summary(world, provider, tmp_path):
    placement = Placement.objects.get(child=world.child_a)
    buy(placement, world.manager_a, ChargeMode.ATTENDED)
    mark_week(placement, present=8)
    path = tmp_path / "inv.csv"
    path.write_bytes(
        csv_bytes(
            [
                row(upn=world.child_a.upn),
                row(upn=world.child_a.upn, quantity=10, net_amount=500, service_from="07/09/2026"),
            ],
            encoding="cp1252",
        )
    )
    out = _run(path, provider)
    assert "1 invoice(s), 2 line(s): 1 matched, 1 queried" in out
    assert "Sessions charged but not attended: 1" in out
    assert f"INV-1 row 3 UPN {world.child_a.upn}" in out


def test_a_missing_column_is_named(provider, tmp_path):
    columns = [c for c in COLUMNS if c != "vat_amount"]
    out = _refused(tmp_path, provider, csv_bytes([row(upn="A")], columns=columns))
    assert "Row 1, vat_amount: Column vat_amount is missing" in out


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"service_from": "2026-13-01"}, "Row 3, service_from: '2026-13-01' is not a date"),
        ({"invoice_date": "31/02/2026"}, "Row 3, invoice_date: '31/02/2026' is not a date"),
        ({"quantity": "eight"}, "Row 3, quantity: 'eight' is not a number"),
        ({"net_amount": "NaN"}, "Row 3, net_amount: 'NaN' is not a number"),
        ({"unit": "fortnight"}, "Row 3, unit: 'fortnight' is not a unit"),
        ({"upn": ""}, "Row 3, upn: This column is empty"),
        ({"service_to": "2026-09-01"}, "Row 3, service_to: service_to is before service_from"),
    ],
)
def test_a_bad_value_is_named_by_row_and_column(provider, tmp_path, values, expected):
    out = _refused(tmp_path, provider, csv_bytes([row(upn="A1"), row(**{"upn": "A2", **values})]))
    assert expected in out


def test_an_invoice_number_already_received_is_refused(world, provider, tmp_path):
    path = tmp_path / "first.csv"
    path.write_bytes(csv_bytes([row(upn=world.child_a.upn)]))
    _run(path, provider)
    path.write_bytes(csv_bytes([row(upn=world.child_a.upn, invoice_number="INV-2"), row(upn="X")]))
    from io import StringIO

    out = StringIO()
    with pytest.raises(CommandError):
        call_command("import-invoices", str(path), "--provider-id", str(provider.pk), stdout=out)
    assert "Row 3, invoice_number: Invoice number INV-1 was already received" in out.getvalue()
    assert Invoice.objects.count() == 1


def test_a_file_neither_utf8_nor_windows_1252_is_refused(provider, tmp_path):
    out = _refused(tmp_path, provider, b"invoice_number\x81\x8d\n")
    assert "neither UTF-8 nor Windows-1252" in out


def test_an_unknown_provider_is_an_error(tmp_path, db):
    path = tmp_path / "x.csv"
    path.write_bytes(csv_bytes([row(upn="A")]))
    with pytest.raises(CommandError, match="No provider on the register has UKPRN 10000000"):
        call_command("import-invoices", str(path), "--ukprn", "10000000")


def test_the_command_exits_non_zero_on_a_malformed_file(tmp_path):
    """The exit status itself, from a real process (no database needed to refuse the args)."""
    path = tmp_path / "x.csv"
    path.write_bytes(b"")
    done = subprocess.run(
        [sys.executable, "-m", "django", "import-invoices", str(path), "--provider-id", "1"],
        capture_output=True,
        env={"DJANGO_SETTINGS_MODULE": "aptrack.config.settings", "DEBUG": "true", "PATH": ""},
        check=False,
    )
    assert done.returncode != 0
