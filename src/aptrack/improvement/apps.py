from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "aptrack.improvement"
    verbose_name = "Improvement plans"

    def ready(self) -> None:
        from aptrack.core import navigation
        from aptrack.improvement import permissions

        navigation.register_page("improvement:list", permissions.can_view_plans)
        navigation.register_navigation(
            order=93, text="Improvement plan", name="improvement:list", group="oversight"
        )
