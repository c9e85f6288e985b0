"""Backups and restores of the whole database.

PostgreSQL: `pg_dump --format=custom` and `pg_restore`, with the connection details taken from
`settings.DATABASES` and the password passed in the `PGPASSWORD` environment variable, never on
the command line (where `ps` would show it). SQLite: the online backup API
(`sqlite3.Connection.backup`), which copies a consistent snapshot while the server runs.

A restore refuses a database that already holds data unless `force` is given: restoring over a
live database replaces every table in it.
"""

import hashlib
import os
import sqlite3
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper

PG_DUMP = os.environ.get("APTRACK_PG_DUMP", "/usr/bin/pg_dump")
PG_RESTORE = os.environ.get("APTRACK_PG_RESTORE", "/usr/bin/pg_restore")
PSQL = os.environ.get("APTRACK_PSQL", "/usr/bin/psql")
# pg_restore --clean drops a partition's keys before the partitioned table's, which PostgreSQL
# refuses (they belong to the partitioned table's): partitioned tables (the attendance marks,
# ADR 0010) are dropped first, whole, in the restore's transaction.
DROP_PARTITIONED_TABLES = """
DO $$
DECLARE partitioned regclass;
BEGIN
  FOR partitioned IN
    SELECT p.partrelid::regclass FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid
    WHERE c.relnamespace = current_schema()::regnamespace AND NOT c.relispartition
  LOOP
    EXECUTE format('DROP TABLE IF EXISTS %s CASCADE', partitioned);
  END LOOP;
END $$;
"""
SQLITE_HEADER = b"SQLite format 3\x00"
# Rows every migrated database has: a database holding only these counts as empty.
BOOKKEEPING_TABLES = {"django_migrations", "django_content_type", "auth_permission"}

DATABASE_NOT_EMPTY = (
    "The database {name} already holds data ({tables}). Restoring replaces all of it: "
    "give --force if that is what you want"
)
NOT_A_BACKUP = "{path} is not an aptrack backup for {engine}: {reason}"
NO_SUCH_FILE = "No backup file at {path}"
TOOL_FAILED = "{tool} failed (exit {code}): {stderr}"
UNSUPPORTED_ENGINE = "Backups support PostgreSQL and SQLite, not {engine}"


class BackupError(Exception):
    pass


def _is_postgres(db: dict[str, Any]) -> bool:
    return "postgresql" in db["ENGINE"]


def _is_sqlite(db: dict[str, Any]) -> bool:
    return "sqlite3" in db["ENGINE"]


def _pg_args_and_env(db: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """Host, port, user and database as arguments; the password only in the environment."""
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    args += ["--dbname", str(db["NAME"])]
    env = {**os.environ}
    env.pop("PGPASSWORD", None)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(tool: str, args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([tool, *args], env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(
            TOOL_FAILED.format(
                tool=Path(tool).name, code=result.returncode, stderr=result.stderr.strip()
            )
        )
    return result


def _sqlite_connection(connection: BaseDatabaseWrapper) -> sqlite3.Connection:
    connection.ensure_connection()
    return connection.connection


def backup(path: Path, *, connection: BaseDatabaseWrapper = default_connection) -> int:
    """Write the database to `path`. Returns the file's size in bytes."""
    db = connection.settings_dict
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    if _is_postgres(db):
        args, env = _pg_args_and_env(db)
        _run(
            PG_DUMP,
            ["--format=custom", "--no-owner", "--no-privileges", "--file", str(partial), *args],
            env,
        )
    elif _is_sqlite(db):
        target = sqlite3.connect(partial)
        try:
            _sqlite_connection(connection).backup(target)
        finally:
            target.close()
    else:
        raise BackupError(UNSUPPORTED_ENGINE.format(engine=db["ENGINE"]))
    partial.replace(path)  # a backup that failed half-way never takes the name
    return path.stat().st_size


def _check_backup_file(path: Path, db: dict[str, Any]) -> None:
    if not path.is_file():
        raise BackupError(NO_SUCH_FILE.format(path=path))
    if _is_postgres(db):
        args, env = _pg_args_and_env(db)
        try:
            _run(PG_RESTORE, ["--list", str(path)], env)
        except BackupError as error:
            raise BackupError(
                NOT_A_BACKUP.format(path=path, engine="PostgreSQL", reason=error)
            ) from error
        return
    with path.open("rb") as stream:
        if stream.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise BackupError(
                NOT_A_BACKUP.format(
                    path=path, engine="SQLite", reason="not an SQLite database file"
                )
            )
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        status = source.execute("PRAGMA integrity_check").fetchone()[0]
        has_migrations = source.execute(
            "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='django_migrations'"
        ).fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise BackupError(NOT_A_BACKUP.format(path=path, engine="SQLite", reason=error)) from error
    finally:
        source.close()
    if status != "ok":
        raise BackupError(
            NOT_A_BACKUP.format(path=path, engine="SQLite", reason=f"integrity check: {status}")
        )
    if not has_migrations:
        raise BackupError(
            NOT_A_BACKUP.format(path=path, engine="SQLite", reason="it holds no aptrack tables")
        )


def tables_with_rows(*, connection: BaseDatabaseWrapper = default_connection) -> list[str]:
    """The tables of the database that hold data (migration bookkeeping aside)."""
    with connection.cursor() as cursor:
        tables = sorted(set(connection.introspection.table_names(cursor)) - BOOKKEEPING_TABLES)
        quote = connection.ops.quote_name
        holding = []
        for table in tables:
            cursor.execute(f"SELECT 1 FROM {quote(table)} LIMIT 1")  # noqa: S608
            if cursor.fetchone():
                holding.append(table)
        return holding


def restore(
    path: Path, *, connection: BaseDatabaseWrapper = default_connection, force: bool = False
) -> None:
    """Replace the database with the backup at `path`.

    Refuses, writing nothing, when the file is not a backup for this database's engine, or when
    the database already holds data and `force` is not given."""
    db = connection.settings_dict
    path = Path(path)
    if not (_is_postgres(db) or _is_sqlite(db)):
        raise BackupError(UNSUPPORTED_ENGINE.format(engine=db["ENGINE"]))
    _check_backup_file(path, db)
    if not force:
        holding = tables_with_rows(connection=connection)
        if holding:
            shown = ", ".join(holding[:5]) + (
                f" and {len(holding) - 5} more" if len(holding) > 5 else ""
            )
            raise BackupError(DATABASE_NOT_EMPTY.format(name=db["NAME"], tables=shown))
    if _is_postgres(db):
        connection.close()  # our own session must not hold locks on the tables being replaced
        _restore_postgres(path, db)
        return
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        source.backup(_sqlite_connection(connection))
    finally:
        source.close()


def _restore_postgres(path: Path, db: dict[str, Any]) -> None:
    """pg_restore writes the restore as SQL (dropping every table it restores first), which psql
    runs after dropping the partitioned tables, in one transaction committed only once
    pg_restore has written all of it without error: a restore that fails changes nothing."""
    args, env = _pg_args_and_env(db)
    with tempfile.TemporaryFile() as restore_errors, tempfile.TemporaryFile() as psql_output:
        psql = subprocess.Popen(  # noqa: S603
            [PSQL, "--no-psqlrc", "--quiet", "--set", "ON_ERROR_STOP=1", *args],
            env=env,
            stdin=subprocess.PIPE,
            stdout=psql_output,
            stderr=subprocess.STDOUT,
        )
        script = subprocess.Popen(  # noqa: S603
            [PG_RESTORE, "--clean", "--if-exists", "--no-owner", "--no-privileges"]
            + ["--file", "-", str(path)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=restore_errors,
        )
        assert psql.stdin is not None and script.stdout is not None
        try:
            psql.stdin.write(b"BEGIN;\n" + DROP_PARTITIONED_TABLES.encode())
            while chunk := script.stdout.read(1 << 16):
                psql.stdin.write(chunk)
            if script.wait() == 0:
                psql.stdin.write(b"COMMIT;\n")
            psql.stdin.close()
        except BrokenPipeError:  # psql stopped at an error: the transaction is rolled back
            pass
        finally:
            if script.poll() is None:
                script.kill()
            script.wait()
            psql.wait()
        for tool, code, output in (
            (PSQL, psql.returncode, psql_output),
            (PG_RESTORE, script.returncode, restore_errors),
        ):
            if code != 0:
                output.seek(0)
                stderr = output.read().decode(errors="replace").strip()
                raise BackupError(
                    TOOL_FAILED.format(tool=Path(tool).name, code=code, stderr=stderr)
                )


def table_checksums(
    *, connection: BaseDatabaseWrapper = default_connection
) -> dict[str, tuple[int, str]]:
    """Each table's row count and a SHA-256 of its rows in primary-key order (all columns
    otherwise): two databases with equal checksums hold the same data."""
    result = {}
    with connection.cursor() as cursor:
        quote = connection.ops.quote_name
        for table in sorted(connection.introspection.table_names(cursor)):
            primary = connection.introspection.get_primary_key_columns(cursor, table)
            order = ", ".join(quote(column) for column in primary) if primary else "1"
            cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {order}")  # noqa: S608
            digest = hashlib.sha256()
            count = 0
            for row in cursor.fetchall():
                digest.update(repr(tuple(row)).encode())
                count += 1
            result[table] = (count, digest.hexdigest())
    return result
