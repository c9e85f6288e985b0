"""aptrack import-attendance FILE: whose file by register id, URN or UKPRN; the report; exit 1."""

import pytest
from django.core.management import CommandError, call_command

from aptrack.attendance.models import AttendanceMark
from aptrack.attendance.tests.conftest import TODAY, csv_bytes
from aptrack.providers.tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider_x(world):
    return ProviderFactory(
        organisation=world.provider_x.organisation, setting_type="", ukprn="10012345"
    )


def _run(tmp_path, data, *options):
    path = tmp_path / "marks.csv"
    path.write_bytes(data)
    return call_command("import-attendance", str(path), *options, "--today", TODAY.isoformat())


def test_imports_a_file_for_a_provider_by_id_or_ukprn(tmp_path, world, provider_x, capsys):
    _run(
        tmp_path,
        csv_bytes(f"{world.child_a.upn},2026-11-23,AM,/,,"),
        "--provider-id",
        str(provider_x.pk),
        "--by",
        "provider_x",
    )
    assert "marks created 1" in capsys.readouterr().out
    mark = AttendanceMark.objects.get()
    assert (mark.batch.channel, mark.batch.recorded_by) == ("COMMAND", world.provider_x)
    _run(tmp_path, csv_bytes(f"{world.child_a.upn},2026-11-23,AM,/,,"), "--ukprn", "10012345")
    assert "unchanged 1" in capsys.readouterr().out


def test_a_bad_file_prints_every_problem_and_fails(tmp_path, world, provider_x, capsys):
    with pytest.raises(CommandError, match="nothing was imported"):
        _run(
            tmp_path,
            csv_bytes(
                f"{world.child_a.upn},2026-11-23,AM,QQ,,", f"{world.child_b.upn},2026-11-23,AM,/,,"
            ),
            "--provider-id",
            str(provider_x.pk),
        )
    out = capsys.readouterr().out
    assert "marks.csv row 2, Code: “QQ” is not an attendance code" in out
    assert "marks.csv row 3, UPN:" in out
    assert not AttendanceMark.objects.exists()


def test_an_unknown_provider_or_file_is_an_error(tmp_path, world):
    with pytest.raises(CommandError, match="No provider on the register has URN 999999"):
        _run(tmp_path, b"", "--provider-urn", "999999")
    with pytest.raises(CommandError, match="No such file"):
        call_command("import-attendance", str(tmp_path / "missing.csv"), "--provider-id", "1")


def test_exit_status_is_1_on_errors(tmp_path, world, provider_x):
    from django.core.management import ManagementUtility

    path = tmp_path / "marks.csv"
    path.write_bytes(csv_bytes(f"{world.child_a.upn},2026-11-23,AM,QQ,,"))
    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(
            ["aptrack", "import-attendance", str(path), "--provider-id", str(provider_x.pk)]
        ).execute()
    assert exit_info.value.code == 1
