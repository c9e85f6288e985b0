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
        from aptrack.core import navigation
        from aptrack.oversight.dashboard.access import dashboard_la
        from aptrack.oversight.pack.permissions import may_use_packs
        from aptrack.oversight.regional.access import regional_access

        navigation.register_page("oversight:dashboard", lambda user: dashboard_la(user) is not None)
        navigation.register_page("oversight:pack_request", may_use_packs)
        navigation.register_page(
            "oversight:regional", lambda user: regional_access(user) is not None
        )
        # Oversight is the LA dashboard or, for analysts, the regional view.
        navigation.register_navigation(order=90, text="Oversight", name="oversight:dashboard")
        navigation.register_navigation(order=91, text="Oversight", name="oversight:regional")

        from aptrack.core.changes import data_changed

        data_changed.connect(_count_changes, dispatch_uid="oversight-figures")
