import csv
import io

import pytest
from django.core.management import CommandError, call_command

from aptrack.census import validation as v
from aptrack.census.items import HEADERS
from aptrack.census.tests.factories import placement

pytestmark = pytest.mark.django_db


def test_writes_the_census_file(tmp_path, capsys):
    p = placement()
    output = tmp_path / "census.csv"
    call_command("export-census", "--la", "838", "--today", "2027-02-01", "--output", str(output))
    rows = list(csv.reader(output.open(encoding="utf-8")))
    assert tuple(rows[0]) == HEADERS
    assert rows[1][0] == p.child.upn
    assert dict(zip(HEADERS, rows[1], strict=True))["EntryDate"] == "2026-09-07"
    assert "1 rows (1 pupils)" in capsys.readouterr().err


def test_census_day_defaults_to_the_third_thursday_of_january(tmp_path):
    # On 1 February 2027 the census is 21 January 2027: a placement ending the day before is out.
    placement(end_date="2027-01-20", status="ENDED")
    stdout = io.StringIO()
    call_command("export-census", "--la", "838", "--today", "2027-02-01", stdout=stdout)
    assert stdout.getvalue().strip() == ",".join(HEADERS)
    stdout = io.StringIO()
    call_command(
        "export-census",
        "--la",
        "838",
        "--today",
        "2027-02-01",
        "--date",
        "2027-01-14",
        stdout=stdout,
    )
    assert len(stdout.getvalue().strip().splitlines()) == 2


def test_refuses_with_errors_and_reports_them_on_stderr(tmp_path, capsys):
    placement(reason=None)
    output = tmp_path / "census.csv"
    with pytest.raises(CommandError, match="1 errors in 1 rows; no census file was written"):
        call_command(
            "export-census", "--la", "838", "--today", "2027-02-01", "--output", str(output)
        )
    assert not output.exists()
    assert v.REASON_MISSING in capsys.readouterr().err


def test_errors_report_writes_the_report_instead(tmp_path):
    placement(reason=None)
    output = tmp_path / "errors.csv"
    call_command(
        "export-census",
        "--la",
        "838",
        "--today",
        "2027-02-01",
        "--errors-report",
        "--output",
        str(output),
    )
    report = list(csv.reader(output.open(encoding="utf-8")))
    assert report[1][5:] == ["PlacementReason", "Error", v.REASON_MISSING]


def test_unknown_la_is_refused():
    with pytest.raises(CommandError, match="No local authority has the code 999"):
        call_command("export-census", "--la", "999")
