from typing import Any

from django.apps import AppConfig


def _count_changes(sender: Any, la_ids: frozenset[int] | None, **kwargs: Any) -> None:
    from aptrack.oversight.measures import store

    store.count_changes(la_ids)


class OversightConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "aptrack.oversight"
    verbose_name = "Oversight"

    def ready(self) -> None:
        from aptrack.core.changes import data_changed

        data_changed.connect(_count_changes, dispatch_uid="oversight-figures")
