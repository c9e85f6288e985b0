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
        # Oversight: the LA dashboard and what goes with it or, for analysts, the regional view.
        navigation.register_navigation_group(key="oversight", order=90, text="Oversight")
        navigation.register_navigation(
            order=90, text="LA dashboard", name="oversight:dashboard", group="oversight"
        )
        navigation.register_navigation(
            order=91,
            text="Regional and national view",
            name="oversight:regional",
            group="oversight",
        )
        navigation.register_navigation(
            order=92, text="Committee pack", name="oversight:pack_request", group="oversight"
        )

        from aptrack.core.changes import data_changed

        data_changed.connect(_count_changes, dispatch_uid="oversight-figures")
