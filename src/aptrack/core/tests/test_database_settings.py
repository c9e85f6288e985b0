"""On PostgreSQL the planner is told random reads are cheap (SSDs, data in memory), so it looks
one LA's rows up by index rather than scanning every LA's (see config/settings.py)."""

import os

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL planner setting")
def test_postgresql_connections_price_random_reads_for_ssds():
    configured = os.environ.get("PG_RANDOM_PAGE_COST", "1.1")
    if not configured:
        pytest.skip("PG_RANDOM_PAGE_COST is empty: the server's own setting is kept")
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        (cost,) = cursor.fetchone()
    assert float(cost) == float(configured)
