from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _make_cache_tables(*, using: str, **kwargs: Any) -> None:
    """`migrate` also makes the table of a database cache (see CACHES), so no deployment step
    can forget it; a cache elsewhere (memory, Redis) needs no table and this does nothing."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "aptrack.core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.apps import apps

        # Sent once per app that has models, so tied to one of them: the sessions, the cache's
        # first user.
        post_migrate.connect(
            _make_cache_tables,
            sender=apps.get_app_config("sessions"),
            dispatch_uid="aptrack-cache-tables",
        )
