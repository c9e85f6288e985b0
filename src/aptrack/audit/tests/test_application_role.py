"""On PostgreSQL the application connects as a role that cannot empty or alter the audit trail
(`aptrack grant-app-role`): TRUNCATE, DELETE, UPDATE and disabling its trigger all fail, while
appending and reading work. The test creates the role itself (it only exists inside the test's
transaction) and acts as it with SET ROLE, so the suite still runs as the postgres superuser."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from psycopg import sql

from aptrack.audit import services
from aptrack.audit.database_roles import RoleNotAllowed, grant_application_role
from aptrack.audit.models import AuditEvent, Channel
from aptrack.children.models import Child

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="database roles are PostgreSQL's"),
]
NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
TABLE = AuditEvent._meta.db_table


@pytest.fixture
def app_role(world):
    # Roles are shared by every database of the server: one name per test database.
    role = f"{connection.settings_dict['NAME']}_app"[:63]
    call_command("grant-app-role", role, stdout=io.StringIO())
    return role


def _as(role: str, statement: str, params: list | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(role)))
        cursor.execute(statement, params)
        cursor.execute("RESET ROLE")


@pytest.mark.parametrize(
    "statement",
    [
        f"TRUNCATE {TABLE}",
        f"DELETE FROM {TABLE}",
        f"UPDATE {TABLE} SET \"where\" = 'tampered'",
        f"ALTER TABLE {TABLE} DISABLE TRIGGER ALL",
        f"ALTER TABLE {TABLE} DISABLE TRIGGER audit_auditevent_append_only",
        f"DROP TABLE {TABLE} CASCADE",
    ],
)
def test_the_application_role_cannot_empty_change_or_alter_the_audit_trail(
    world, app_role, statement
):
    event = services.record_view(
        actor=world.officer_a, at=NOW, channel=Channel.WEB, child=world.child_a, where="/x"
    )
    with (
        pytest.raises(DatabaseError, match="permission denied|must be (the )?owner"),
        transaction.atomic(),
    ):
        _as(app_role, statement)
    assert AuditEvent.objects.filter(pk=event.pk, where="/x").exists()


def test_the_application_role_appends_to_and_reads_the_audit_trail_and_changes_other_tables(
    world, app_role
):
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(app_role)))
        event = services.record_view(
            actor=world.officer_a, at=NOW, channel=Channel.WEB, child=world.child_a, where="/as-app"
        )
        assert AuditEvent.objects.filter(pk=event.pk).exists()
        Child.objects.filter(pk=world.child_a.pk).update(legal_first_name="Amy")
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
    assert AuditEvent.objects.filter(where="/as-app").count() == 1


def test_the_owner_still_could_disable_the_trigger_which_is_why_the_app_must_not_be_it(
    world, app_role
):
    """The control: the same statement as the owner (here the superuser) is not refused."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER audit_auditevent_append_only")
        transaction.set_rollback(True)


def test_the_owner_or_a_superuser_cannot_be_made_the_application_role():
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        (owner,) = cursor.fetchone()
    with pytest.raises(RoleNotAllowed):
        grant_application_role(role=owner)
    with pytest.raises(CommandError):
        call_command("grant-app-role", "Robert'); DROP TABLE x;--")
