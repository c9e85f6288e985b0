"""Attendance marks partitioned by academic year on PostgreSQL (ADR 0010); SQLite unchanged.

Both databases: a version keeps its mark's date (`AttendanceMarkVersion.session_date`), filled
from the marks.

PostgreSQL only: the marks table becomes a table partitioned by RANGE (session_date), one
partition per academic year (1 September to 31 August) that holds marks, plus this academic
year and the next, and a DEFAULT partition for any other date. Every row is carried over, with
the identity sequence where it was. A partitioned table's keys must include its partition key,
so the primary key there is (id, session_date) (Django still sees `id`, which the identity
keeps unique) and the versions' foreign key to their mark becomes (mark_id, session_date). The
unique (placement, date, session) already includes the date. Later partitions are made by
`attendance.partitions` (the loader's hook and `aptrack attendance-partitions`).

The table is rebuilt in the migration's transaction: at national scale (tens of millions of
marks) that takes minutes, with the marks table locked.
"""

import datetime as dt

from django.db import migrations, models
from django.utils import timezone

MARKS = "attendance_attendancemark"
VERSIONS = "attendance_attendancemarkversion"
# The versions' foreign key to their mark: (mark_id, session_date) once partitioned. The
# unpartitioned one has the name Django gave it in 0001.
VERSIONS_FK_PARTITIONED = "attendance_version_mark_fk"
VERSIONS_FK_PLAIN = "attendance_attendanc_mark_id_30572b4f_fk_attendanc"

FILL_VERSION_DATES = f"""
UPDATE {VERSIONS} SET session_date = (
    SELECT m.session_date FROM {MARKS} m WHERE m.id = {VERSIONS}.mark_id
)
"""


def _year_partition(year: int) -> str:
    return f"{MARKS}_{year}_{(year + 1) % 100:02d}"


def _academic_year(day: dt.date) -> int:
    return day.year if day.month >= 9 else day.year - 1


def _rows(cursor, sql, params=None):
    cursor.execute(sql, params)
    return cursor.fetchall()


def _rebuild_marks(cursor, *, partitioned: bool) -> None:
    """Make the marks table again, partitioned or plain, with every row, the same columns,
    checks, foreign keys, indexes and identity, then drop the old one."""
    old = f"{MARKS}_{'unpartitioned' if partitioned else 'partitioned'}"
    # Only the versions point at a mark; any other key would need the date too.
    for table, name in _rows(
        cursor,
        "SELECT conrelid::regclass::text, conname FROM pg_constraint "
        "WHERE contype = 'f' AND confrelid = %s::regclass AND conparentid = 0",
        [MARKS],
    ):
        if table != VERSIONS:
            raise RuntimeError(f"{table}.{name} refers to {MARKS}: its key must include the date")
        cursor.execute(f'ALTER TABLE {VERSIONS} DROP CONSTRAINT "{name}"')
    constraints = _rows(
        cursor,
        "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('p', 'u', 'f') AND conparentid = 0 "
        "ORDER BY contype DESC, conname",
        [MARKS],
    )
    indexes = _rows(
        cursor,
        "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = %s::regclass "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)",
        [MARKS],
    )
    columns = ", ".join(
        name
        for (name,) in _rows(
            cursor,
            "SELECT quote_ident(attname) FROM pg_attribute WHERE attrelid = %s::regclass "
            "AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
            [MARKS],
        )
    )
    sequence = _rows(cursor, "SELECT pg_get_serial_sequence(%s, 'id')", [MARKS])[0][0]

    # Out of the way: the table, and the names that are global (indexes, the sequence).
    cursor.execute(f"ALTER TABLE {MARKS} RENAME TO {old}")
    for name, contype, _ in constraints:
        if contype in ("p", "u"):
            cursor.execute(f'ALTER TABLE {old} RENAME CONSTRAINT "{name}" TO "{name[:50]}_old"')
    for name, _ in indexes:
        cursor.execute(f'ALTER INDEX "{name}" RENAME TO "{name[:50]}_old"')
    cursor.execute(f"ALTER SEQUENCE {sequence} RENAME TO {old}_id_seq")

    cursor.execute(
        f"CREATE TABLE {MARKS} (LIKE {old} INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
        f"INCLUDING IDENTITY){' PARTITION BY RANGE (session_date)' if partitioned else ''}"
    )
    if partitioned:
        years = {
            year
            for (year,) in _rows(
                cursor,
                f"SELECT DISTINCT EXTRACT(YEAR FROM session_date - INTERVAL '8 months')::int "
                f"FROM {old}",
            )
        }
        this_year = _academic_year(timezone.localdate())
        for year in sorted(years | {this_year, this_year + 1}):
            cursor.execute(
                f"CREATE TABLE {_year_partition(year)} PARTITION OF {MARKS} "
                f"FOR VALUES FROM ('{year}-09-01') TO ('{year + 1}-09-01')"
            )
        cursor.execute(f"CREATE TABLE {MARKS}_default PARTITION OF {MARKS} DEFAULT")
    # The rows first, then the keys and indexes: building an index is quicker than keeping it.
    cursor.execute(f"INSERT INTO {MARKS} ({columns}) SELECT {columns} FROM {old}")
    cursor.execute(
        f"SELECT setval(pg_get_serial_sequence('{MARKS}', 'id'), last_value, is_called) "
        f"FROM {old}_id_seq"
    )
    for name, contype, definition in constraints:
        if contype == "p":
            definition = "PRIMARY KEY (id, session_date)" if partitioned else "PRIMARY KEY (id)"
        cursor.execute(f'ALTER TABLE {MARKS} ADD CONSTRAINT "{name}" {definition}')
    for _, definition in indexes:  # read before the renames: they name the new table
        cursor.execute(definition.replace(" ON ONLY ", " ON "))
    cursor.execute(f"DROP TABLE {old}")
    if partitioned:
        cursor.execute(
            f"ALTER TABLE {VERSIONS} ADD CONSTRAINT {VERSIONS_FK_PARTITIONED} "
            f"FOREIGN KEY (mark_id, session_date) REFERENCES {MARKS} (id, session_date) "
            "DEFERRABLE INITIALLY DEFERRED"
        )
    else:
        cursor.execute(
            f"ALTER TABLE {VERSIONS} ADD CONSTRAINT {VERSIONS_FK_PLAIN} "
            f"FOREIGN KEY (mark_id) REFERENCES {MARKS} (id) DEFERRABLE INITIALLY DEFERRED"
        )
    cursor.execute(f"ANALYZE {MARKS}")


def partition(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            _rebuild_marks(cursor, partitioned=True)


def unpartition(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            _rebuild_marks(cursor, partitioned=False)


class Migration(migrations.Migration):
    dependencies = [("attendance", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="attendancemarkversion",
            name="session_date",
            field=models.DateField(null=True),
        ),
        migrations.RunSQL(FILL_VERSION_DATES, migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="attendancemarkversion",
            name="session_date",
            field=models.DateField(),
        ),
        migrations.RunPython(partition, unpartition),
    ]
