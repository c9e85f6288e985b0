from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "aptrack.quality"
    verbose_name = "Quality assurance"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from aptrack.core import navigation
        from aptrack.quality import permissions

        navigation.register_page("quality:dashboard", permissions.can_see_dashboard)
        navigation.register_navigation(
            order=72, text="Quality assurance", name="quality:dashboard", group="providers"
        )
        navigation.register_page("quality:compliance", permissions.may_use_compliance)
        navigation.register_page("quality:visits", permissions.may_use_visits)
