from django.apps import AppConfig


class PanelsConfig(AppConfig):
    name = "aptrack.panels"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from aptrack.core import navigation
        from aptrack.panels import permissions

        navigation.register_page("panels:list", permissions.can_use_panels)
        navigation.register_navigation(order=30, text="Panels", name="panels:list")
