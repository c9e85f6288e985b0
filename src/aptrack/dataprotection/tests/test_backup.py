"""A backup restored into another database holds exactly the same rows in every table."""

import copy

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.utils import load_backend

from aptrack.children.models import Child
from aptrack.dataprotection import backup

SCRATCH = "restore_scratch"


@pytest.fixture
def scratch_database(tmp_path):
    """A second, empty database beside the test database; dropped afterwards. The test
    database other tests use is never restored over."""
    settings = copy.deepcopy(connection.settings_dict)
    postgres = connection.vendor == "postgresql"
    if postgres:
        settings["NAME"] = f"{connection.settings_dict['NAME']}_restore"
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {settings['NAME']}")
            cursor.execute(f"CREATE DATABASE {settings['NAME']}")
    else:
        settings["NAME"] = str(tmp_path / "scratch.sqlite3")
    scratch = load_backend(settings["ENGINE"]).DatabaseWrapper(settings, alias=SCRATCH)
    yield scratch
    scratch.close()
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {settings['NAME']}")


# Committed data, so that pg_dump (another session) sees it; the reference data is put back after.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_restores_every_table_row_for_row_and_refuses_to_overwrite_data(
    world, scratch_database, tmp_path
):
    path = tmp_path / "aptrack.backup"
    call_command("backup", str(path))

    backup.restore(path, connection=scratch_database)

    original = backup.table_checksums()
    assert original["children_child"][0] == 3
    assert original["placements_placement"][0] == 2
    # No audit rows: the flush after a committed test cannot empty the append-only table.
    assert "audit_auditevent" in original
    assert backup.table_checksums(connection=scratch_database) == original

    with pytest.raises(backup.BackupError, match="already holds data"):
        backup.restore(path, connection=scratch_database)
    Child.objects.filter(pk=world.child_a2.pk).update(legal_first_name="Changed")
    backup.restore(path, connection=scratch_database, force=True)
    assert backup.table_checksums(connection=scratch_database) == original

    # A backup cut short fails part-way through its data, and changes nothing.
    if connection.vendor == "postgresql":
        cut = tmp_path / "cut.backup"
        data = path.read_bytes()
        cut.write_bytes(data[: len(data) * 9 // 10])
        with pytest.raises(backup.BackupError, match="pg_restore failed"):
            backup.restore(cut, connection=scratch_database, force=True)
        assert backup.table_checksums(connection=scratch_database) == original


@pytest.mark.django_db
def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("not a database")
    with pytest.raises(CommandError, match="is not an aptrack backup"):
        call_command("restore", str(path), "--force")
    with pytest.raises(CommandError, match="No backup file"):
        call_command("restore", str(tmp_path / "missing.backup"))


def test_the_password_goes_to_pg_dump_in_the_environment_never_on_the_command_line():
    args, env = backup._pg_args_and_env(
        {
            "NAME": "aptrack",
            "USER": "aptrack_app",
            "PASSWORD": "s3cret-Pa55",
            "HOST": "db.internal",
            "PORT": 5432,
        }
    )
    assert "s3cret-Pa55" not in " ".join(args)
    assert args == [
        "--host",
        "db.internal",
        "--port",
        "5432",
        "--username",
        "aptrack_app",
        "--dbname",
        "aptrack",
    ]
    assert env["PGPASSWORD"] == "s3cret-Pa55"
