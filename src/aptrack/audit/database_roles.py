"""The application's PostgreSQL role: it reads and writes aptrack's tables as the service needs,
but may only read and append to the audit trail.

The owner role (which runs migrations, MIGRATE_DATABASE_URL) owns every table. The application
role (DATABASE_URL) is granted SELECT, INSERT, UPDATE and DELETE on them, and on the audit table
SELECT and INSERT only. Not owning the audit table, it cannot TRUNCATE it, DELETE or UPDATE its
rows, or ALTER it (drop it, or disable its append-only trigger): PostgreSQL refuses those to
anyone but the owner or a superuser. Default privileges give it the same rights on the tables
later migrations create.
"""

import re

from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
from psycopg import sql

from aptrack.audit.models import AuditEvent

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class RoleNotAllowed(Exception):
    """The role named cannot be the restricted application role."""


def _table_owner(cursor: CursorWrapper, table: str) -> str:
    cursor.execute(
        "SELECT tableowner FROM pg_tables WHERE schemaname = current_schema() AND tablename = %s",
        [table],
    )
    row = cursor.fetchone()
    if row is None:
        raise RoleNotAllowed(f"No table {table} here: run `aptrack migrate` first")
    return str(row[0])


def grant_application_role(*, role: str) -> bool:
    """Give `role` the application's rights (creating it, without a login, if it does not exist)
    and no more on the audit table. Returns whether the role was created. Run as the owner role
    after each `aptrack migrate`; running it again changes nothing."""
    if connection.vendor != "postgresql":
        raise RoleNotAllowed("Database roles are a PostgreSQL matter: SQLite has none")
    if not ROLE_NAME.match(role):
        raise RoleNotAllowed(
            f"{role!r} is not a plain role name (lower-case letters, digits and _)"
        )
    audit_table = AuditEvent._meta.db_table
    name = sql.Identifier(role)
    with transaction.atomic(), connection.cursor() as cursor:
        owner = _table_owner(cursor, audit_table)
        cursor.execute(
            "SELECT rolsuper, pg_has_role(%s, %s, 'MEMBER') FROM pg_roles WHERE rolname = %s",
            [role, owner, role],
        )
        row = cursor.fetchone()
        if row is not None and (row[0] or row[1]):
            raise RoleNotAllowed(
                f"{role} is a superuser or a member of {owner}, the owner of the audit table: "
                "the application needs a role of its own"
            )
        created = row is None
        if created:
            cursor.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(name))
        cursor.execute("SELECT current_database(), current_schema()")
        database, schema = cursor.fetchone()
        for statement in (
            "GRANT CONNECT, TEMPORARY ON DATABASE {database} TO {role}",
            "GRANT USAGE ON SCHEMA {schema} TO {role}",
            "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}",
            "GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
            "ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
            "ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {role}",
            # The audit trail: read and append, nothing else.
            "REVOKE ALL ON {audit} FROM {role}",
            "GRANT SELECT, INSERT ON {audit} TO {role}",
        ):
            cursor.execute(
                sql.SQL(statement).format(
                    database=sql.Identifier(database),
                    schema=sql.Identifier(schema),
                    role=name,
                    audit=sql.Identifier(audit_table),
                )
            )
    return created
