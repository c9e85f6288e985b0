"""Database connection settings. On PostgreSQL the planner is told random reads are cheap (SSDs, data in memory), so it looks
one LA's rows up by index rather than scanning every LA's; connections are kept only where the
server has few threads, and only migrations connect as the owner role (see config/settings.py)."""

import os

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from aptrack.config.settings import database_connection_age, database_url

pytestmark = pytest.mark.django_db


def _server_setting(name: str, variable: str, default: str) -> tuple[str, str]:
    """The connection's value of a PostgreSQL setting, and what the environment asks for."""
    configured = os.environ.get(variable, default)
    if not configured:
        pytest.skip(f"{variable} is empty: the server's own setting is kept")
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        (value,) = cursor.fetchone()
    return value, configured


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL planner setting")
def test_postgresql_connections_price_random_reads_for_ssds():
    cost, configured = _server_setting("random_page_cost", "PG_RANDOM_PAGE_COST", "1.1")
    assert float(cost) == float(configured)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL planner setting")
def test_postgresql_connections_do_not_compile_short_queries():
    """A page's scoping query is estimated dear enough to start the JIT compiler, which took
    twenty times the query's own run at national scale: it is off unless PG_JIT says."""
    jit, configured = _server_setting("jit", "PG_JIT", "off")
    assert jit == configured


# How long connections are kept (CONN_MAX_AGE) and which role connects (config/settings.py).


def test_the_development_server_closes_each_requests_connection():
    assert database_connection_age(configured=None, debug=False, argv=["aptrack", "runserver"]) == 0
    assert database_connection_age(configured="", debug=True, argv=["aptrack", "db_worker"]) == 0


def test_a_production_server_keeps_connections_a_minute_unless_told_otherwise():
    assert (
        database_connection_age(
            configured=None, debug=False, argv=["gunicorn", "aptrack.config.wsgi"]
        )
        == 60
    )
    assert database_connection_age(configured="0", debug=False, argv=["gunicorn"]) == 0
    assert (
        database_connection_age(configured="300", debug=True, argv=["aptrack", "runserver"]) == 300
    )


@pytest.mark.parametrize("configured", ["-1", "sixty", "1.5"])
def test_a_connection_age_that_is_not_whole_seconds_stops_the_start(configured):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_CONN_MAX_AGE"):
        database_connection_age(configured=configured, debug=False, argv=["gunicorn"])


def test_kept_connections_are_checked_before_a_request_uses_them():
    if django_settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        pytest.skip("SQLite connections are local files")
    assert django_settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def test_only_migrations_grants_and_restores_connect_as_the_owner_role():
    environ = {
        "DATABASE_URL": "postgres://aptrack_app@db/aptrack",
        "MIGRATE_DATABASE_URL": "postgres://aptrack@db/aptrack",
    }
    assert (
        database_url(environ=environ, argv=["aptrack", "migrate"])
        == "postgres://aptrack@db/aptrack"
    )
    assert (
        database_url(environ=environ, argv=["aptrack", "grant-app-role"])
        == "postgres://aptrack@db/aptrack"
    )
    # A restore drops and recreates the tables: only their owner may.
    assert (
        database_url(environ=environ, argv=["aptrack", "restore"])
        == "postgres://aptrack@db/aptrack"
    )
    assert (
        database_url(environ=environ, argv=["aptrack", "backup"])
        == "postgres://aptrack_app@db/aptrack"
    )
    assert (
        database_url(environ=environ, argv=["aptrack", "runserver"])
        == "postgres://aptrack_app@db/aptrack"
    )
    assert database_url(environ=environ, argv=["gunicorn"]) == "postgres://aptrack_app@db/aptrack"
    assert (
        database_url(environ={"DATABASE_URL": "postgres://one@db/a"}, argv=["aptrack", "migrate"])
        == "postgres://one@db/a"
    )
