"""Importing the GIAS establishment extract: `aptrack import-establishments FILE [--dry-run]`.

The files in data/ are in the published format (edubasealldata<date>.csv: all 139 columns,
DD-MM-YYYY dates). edubasealldata_cp1252.csv is as GIAS serves it: Windows-1252 with CRLF.
"""

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from aptrack.organisations.models import Establishment, Organisation
from aptrack.organisations.tests.factories import EstablishmentFactory, OrganisationFactory, la
from aptrack.providers import gias
from aptrack.providers.models import Provider

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
CP1252_FILE = DATA / "edubasealldata_cp1252.csv"
UTF8_BOM_FILE = DATA / "edubasealldata_utf8_bom.csv"
MISSING_COLUMNS_FILE = DATA / "edubasealldata_missing_columns.csv"
BAD_ROWS_FILE = DATA / "edubasealldata_bad_rows.csv"

# In CP1252_FILE: 10 rows. 7 in English LAs; 000 and 704 have no English LA; 928 is a former LA.
# Providers: the open PRU (990004), the AP academy (990005), the AP free school proposed to open
# (990010); not the closed PRU (990006).
CP1252_PROVIDER_URNS = {"990004", "990005", "990010"}


def providers() -> dict[str, Organisation]:
    return {
        org.establishment.urn: org
        for org in Organisation.objects.filter(kind="PROVIDER").select_related("establishment")
    }


def copy_with(tmp_path: Path, source: Path, old: str, new: str) -> Path:
    """A copy of a cp1252 fixture with one value changed."""
    data = source.read_bytes()
    assert old.encode("cp1252") in data
    target = tmp_path / source.name
    target.write_bytes(data.replace(old.encode("cp1252"), new.encode("cp1252")))
    return target


def test_the_cp1252_fixture_is_as_gias_publishes_it() -> None:
    data = CP1252_FILE.read_bytes()
    assert b"St Mary\x92s" in data  # Windows-1252 right single quote
    assert data.count(b"\r\n") == 11
    assert UTF8_BOM_FILE.read_bytes().startswith(b"\xef\xbb\xbfURN,")


def test_it_creates_establishments_from_the_published_cp1252_file() -> None:
    report = gias.import_establishments(at=NOW, path=CP1252_FILE)

    assert report.encoding == "cp1252"
    assert (report.rows, report.created, report.updated, report.unchanged) == (10, 7, 0, 0)
    assert report.skipped == {gias.SKIP_NO_ENGLISH_LA: 2, gias.SKIP_FORMER_LA: 1}
    assert Establishment.objects.count() == 7
    st_marys = Establishment.objects.get(urn="990001")
    assert st_marys.name == "St Mary’s Church of England Primary School"
    assert st_marys.local_authority == la("838")
    assert st_marys.laestab == "8382001"
    assert (st_marys.type_code, st_marys.type_name) == ("2", "Voluntary aided school")
    assert (st_marys.phase, st_marys.status, st_marys.postcode) == ("Primary", "Open", "DT1 1AA")
    assert (
        Establishment.objects.get(urn="990002").name
        == "Hackney Free and Parochial, Church of England Secondary School"
    )
    assert Establishment.objects.get(urn="990003").name == 'École "Les Étoiles" Bilingue'
    assert not Establishment.objects.filter(urn__in=["990007", "990008", "990009"]).exists()


def test_it_reads_utf8_with_a_bom_and_other_date_formats() -> None:
    report = gias.import_establishments(at=NOW, path=UTF8_BOM_FILE)

    assert report.encoding == "utf-8-sig"
    assert report.created == 3
    assert Establishment.objects.get(urn="990101").name == "Sainte-Thérèse Catholic Primary School"
    assert Establishment.objects.get(urn="990103").status == "Open, but proposed to close"


def test_a_second_run_of_the_same_file_changes_nothing() -> None:
    gias.import_establishments(at=NOW, path=CP1252_FILE)

    report = gias.import_establishments(at=NOW, path=CP1252_FILE)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 7)
    assert (report.providers_created, report.providers_updated) == (0, 0)
    assert Establishment.objects.count() == 7
    assert Organisation.objects.count() == 3


def test_it_updates_an_establishment_whose_name_changed(tmp_path: Path) -> None:
    gias.import_establishments(at=NOW, path=CP1252_FILE)
    renamed = copy_with(tmp_path, CP1252_FILE, "St Mary’s Church", "St Mary’s and St John’s Church")

    report = gias.import_establishments(at=NOW, path=renamed)

    assert (report.created, report.updated, report.unchanged) == (0, 1, 6)
    assert Establishment.objects.get(urn="990001").name.startswith("St Mary’s and St John’s")


def test_it_updates_an_existing_establishment_by_urn() -> None:
    EstablishmentFactory(urn="990001", name="Old name", local_authority=la("204"))

    report = gias.import_establishments(at=NOW, path=CP1252_FILE)

    assert (report.created, report.updated) == (6, 1)
    existing = Establishment.objects.get(urn="990001")
    assert (existing.name, existing.local_authority.code) == (
        "St Mary’s Church of England Primary School",
        "838",
    )


def test_ap_establishments_become_registered_providers_once() -> None:
    report = gias.import_establishments(at=NOW, path=CP1252_FILE)

    assert report.providers_created == 3
    registered = providers()
    assert set(registered) == CP1252_PROVIDER_URNS
    pru = registered["990004"]
    assert (pru.name, pru.local_authority, pru.kind) == (
        "Dorset Pupil Referral Unit",
        la("838"),
        "PROVIDER",
    )
    assert registered["990005"].local_authority == la("204")

    records = {p.establishment.urn: p for p in Provider.objects.select_related("establishment")}
    assert set(records) == CP1252_PROVIDER_URNS
    assert records["990004"].kind == "PRU"
    assert records["990004"].identity == "URN 990004"

    again = gias.import_establishments(at=NOW, path=CP1252_FILE)

    assert again.providers_created == 0
    assert Organisation.objects.filter(kind="PROVIDER").count() == 3
    assert Provider.objects.count() == 3


def test_a_renamed_ap_establishment_renames_its_provider(tmp_path: Path) -> None:
    gias.import_establishments(at=NOW, path=CP1252_FILE)
    renamed = copy_with(
        tmp_path, CP1252_FILE, "Dorset Pupil Referral Unit", "Dorset Secondary Tuition Service"
    )

    report = gias.import_establishments(at=NOW, path=renamed)

    assert (report.updated, report.providers_created, report.providers_updated) == (1, 0, 1)
    assert providers()["990004"].name == "Dorset Secondary Tuition Service"
    assert (
        Provider.objects.get(establishment__urn="990004").name == "Dorset Secondary Tuition Service"
    )
    assert Organisation.objects.filter(kind="PROVIDER").count() == 3


def test_an_existing_provider_for_an_ap_establishment_is_not_duplicated() -> None:
    pru = EstablishmentFactory(urn="990004", name="Dorset Pupil Referral Unit", type_code="14")
    OrganisationFactory(
        name="Dorset PRU", kind="PROVIDER", establishment=pru, local_authority=la("838")
    )

    report = gias.import_establishments(at=NOW, path=CP1252_FILE)

    assert (report.providers_created, report.providers_updated) == (2, 1)
    assert Organisation.objects.filter(establishment=pru).count() == 1
    assert providers()["990004"].name == "Dorset Pupil Referral Unit"


def test_any_bad_row_writes_nothing_and_every_bad_row_is_named() -> None:
    with pytest.raises(gias.GiasFileInvalid) as raised:
        gias.import_establishments(at=NOW, path=BAD_ROWS_FILE)

    found = {(error.row, error.column) for error in raised.value.errors}
    assert found == {
        (3, "URN"),
        (4, "LA (code)"),
        (5, "OpenDate"),
        (7, "EstablishmentName"),
        (7, "CloseDate"),
    }
    reasons = {(error.row, error.column): error.reason for error in raised.value.errors}
    assert reasons[(3, "URN")] == f"{gias.BAD_URN} (got '12AB')"
    assert reasons[(4, "LA (code)")] == f"{gias.UNKNOWN_LA} (got '998')"
    assert reasons[(5, "OpenDate")] == f"{gias.BAD_DATE} (got '31-13-2020')"
    assert (
        "edubasealldata_bad_rows.csv row 3, URN: URN must be 6 digits" in raised.value.listing()[0]
    )
    assert Establishment.objects.count() == 0
    assert Organisation.objects.count() == 0


def test_bad_rows_leave_existing_establishments_untouched() -> None:
    EstablishmentFactory(urn="990201", name="Before")

    with pytest.raises(gias.GiasFileInvalid):
        gias.import_establishments(at=NOW, path=BAD_ROWS_FILE)

    assert list(Establishment.objects.values_list("urn", "name")) == [("990201", "Before")]


def test_missing_required_columns_are_named_and_nothing_is_written() -> None:
    with pytest.raises(gias.GiasFileInvalid) as raised:
        gias.import_establishments(at=NOW, path=MISSING_COLUMNS_FILE)

    assert [(error.row, error.column, error.reason) for error in raised.value.errors] == [
        (1, "LA (code)", gias.MISSING_COLUMN),
        (1, "EstablishmentStatus (name)", gias.MISSING_COLUMN),
    ]
    assert Establishment.objects.count() == 0


def test_a_repeated_urn_is_a_bad_row(tmp_path: Path) -> None:
    repeated = copy_with(tmp_path, CP1252_FILE, "990002", "990001")

    with pytest.raises(gias.GiasFileInvalid) as raised:
        gias.import_establishments(at=NOW, path=repeated)

    [error] = raised.value.errors
    assert (error.row, error.column) == (3, "URN")
    assert error.reason == f"{gias.DUPLICATE_URN} (first on row 2)"


def test_the_listing_of_bad_rows_is_capped(tmp_path: Path) -> None:
    lines = CP1252_FILE.read_bytes().split(b"\r\n")
    bad_row = lines[1].replace(b"990001", b"BAD001", 1)
    many = tmp_path / "many.csv"
    many.write_bytes(b"\r\n".join([lines[0], *([bad_row] * 250), b""]))

    with pytest.raises(gias.GiasFileInvalid) as raised:
        gias.import_establishments(at=NOW, path=many)

    listing = raised.value.listing()
    assert len(raised.value.errors) == 250
    assert len(listing) == gias.LISTING_LIMIT + 1
    assert listing[-1] == "... and 50 more"


def test_a_dry_run_reports_the_changes_and_writes_nothing() -> None:
    report = gias.import_establishments(at=NOW, path=CP1252_FILE, dry_run=True)

    assert (report.created, report.providers_created) == (7, 3)
    assert report.lines()[-1] == "Dry run: nothing was written."
    assert Establishment.objects.count() == 0
    assert Organisation.objects.count() == 0


def test_progress_is_reported_in_bytes_read() -> None:
    seen: list[int] = []

    gias.import_establishments(at=NOW, path=CP1252_FILE, dry_run=True, progress=seen.append)

    assert sum(seen) == CP1252_FILE.stat().st_size


def test_the_command_imports_and_reports() -> None:
    out = StringIO()

    call_command("import-establishments", str(CP1252_FILE), stdout=out)

    output = out.getvalue()
    assert "created 7, updated 0, unchanged 0, skipped 3" in output
    assert f"skipped, {gias.SKIP_NO_ENGLISH_LA}: 2" in output
    assert "Registered providers were: created 3, updated 0" in output
    assert Establishment.objects.count() == 7


def test_the_command_dry_run_writes_nothing() -> None:
    out = StringIO()

    call_command("import-establishments", str(CP1252_FILE), "--dry-run", stdout=out)

    assert "Establishments would be: created 7" in out.getvalue()
    assert Establishment.objects.count() == 0


def test_the_command_fails_with_every_bad_row_listed() -> None:
    with pytest.raises(CommandError) as raised:
        call_command("import-establishments", str(BAD_ROWS_FILE), stdout=StringIO())

    message = str(raised.value)
    assert raised.value.returncode == 1
    assert "5 problem(s) found; nothing was imported" in message
    assert "edubasealldata_bad_rows.csv row 3, URN: URN must be 6 digits (got '12AB')" in message
    assert "row 4, LA (code): not a known LA code (got '998')" in message
    assert "row 5, OpenDate: not a date (expected DD-MM-YYYY) (got '31-13-2020')" in message
    assert "row 7, EstablishmentName: must not be empty" in message
    assert Establishment.objects.count() == 0


def test_the_command_names_missing_columns() -> None:
    with pytest.raises(CommandError) as raised:
        call_command("import-establishments", str(MISSING_COLUMNS_FILE), stdout=StringIO())

    assert "row 1, LA (code): required column missing" in str(raised.value)
    assert "row 1, EstablishmentStatus (name): required column missing" in str(raised.value)


def test_the_command_refuses_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No such file"):
        call_command("import-establishments", str(tmp_path / "nope.csv"))


def _with_row(tmp_path: Path, change) -> Path:
    """A copy of the cp1252 fixture with its first data row passed through `change`."""
    header, first, *rest = CP1252_FILE.read_bytes().split(b"\r\n")
    target = tmp_path / "edited.csv"
    target.write_bytes(b"\r\n".join([header, change(first), *rest]))
    return target


def test_a_field_of_10_mb_is_a_named_row_error_and_nothing_is_written(tmp_path: Path) -> None:
    huge = _with_row(
        tmp_path, lambda row: row.replace(b"990001", b'"' + b"x" * 10_000_000 + b'"', 1)
    )

    with pytest.raises(gias.GiasFileInvalid) as raised:
        gias.import_establishments(at=NOW, path=huge)

    [error] = raised.value.errors
    assert error.row == 2
    assert error.reason.startswith("a field is longer than 131,072 characters")
    assert not Establishment.objects.exists()


@pytest.mark.parametrize("column, old", [(gias.NAME, "St Mary"), (gias.POSTCODE, "DT1 1AA")])
def test_a_nul_character_in_a_stored_field_is_named_and_nothing_is_written(
    tmp_path: Path, column: str, old: str
) -> None:
    nul = _with_row(tmp_path, lambda row: row.replace(old.encode(), old.encode() + b"\x00", 1))

    with pytest.raises(gias.GiasFileInvalid) as raised:
        gias.import_establishments(at=NOW, path=nul)

    assert [(e.row, e.column) for e in raised.value.errors] == [(2, column)]
    assert "NUL" in raised.value.errors[0].reason
    assert not Establishment.objects.exists()


def test_a_repeated_column_header_is_refused_by_name(tmp_path: Path) -> None:
    header, *rest = CP1252_FILE.read_bytes().split(b"\r\n")
    repeated = tmp_path / "repeated.csv"
    renamed = header.replace(b"Postcode", b"EstablishmentName", 1)
    assert renamed != header
    repeated.write_bytes(b"\r\n".join([renamed, *rest]))

    with pytest.raises(gias.GiasFileInvalid) as raised:
        gias.import_establishments(at=NOW, path=repeated)

    assert [(e.row, e.column, e.reason) for e in raised.value.errors] == [
        (1, gias.NAME, gias.DUPLICATE_COLUMN)
    ]


def test_every_bad_row_is_counted_though_only_the_first_are_kept(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(gias, "ERROR_LIMIT", 10)
    lines = CP1252_FILE.read_bytes().split(b"\r\n")
    bad_row = lines[1].replace(b"990001", b"BAD001", 1)
    many = tmp_path / "many.csv"
    many.write_bytes(b"\r\n".join([lines[0], *([bad_row] * 30), b""]))

    with pytest.raises(gias.GiasFileInvalid) as raised:
        gias.import_establishments(at=NOW, path=many)

    assert (len(raised.value.errors), raised.value.total) == (10, 30)
    assert raised.value.listing()[-1] == "... and 20 more"
