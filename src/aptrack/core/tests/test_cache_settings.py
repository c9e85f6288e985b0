"""Sessions are read through Django's cache: CACHE_URL names it, every web process must share it
in production, and `migrate` makes the table of a database cache."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import override_settings

from aptrack.config.settings import cache_from_url
from aptrack.core.apps import _make_cache_tables


def test_cache_url_names_redis_a_database_table_or_this_process():
    assert cache_from_url("redis://cache:6379/1") == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache:6379/1",
    }
    assert (
        cache_from_url("db://aptrack_cache")["BACKEND"]
        == "django.core.cache.backends.db.DatabaseCache"
    )
    assert cache_from_url("locmem://")["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL must start"):
        cache_from_url("memcached://x")


@pytest.mark.django_db  # the table is made inside the test's transaction, and goes with it
def test_migrate_makes_the_table_of_a_database_cache():
    table = "test_made_by_migrate_cache"
    cache = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": table}
    }
    assert table not in connection.introspection.table_names()
    with override_settings(CACHES=cache):
        _make_cache_tables(using="default")
    assert table in connection.introspection.table_names()
