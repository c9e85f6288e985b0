from django.apps import AppConfig


class SufficiencyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "aptrack.sufficiency"
    verbose_name = "Sufficiency"

    def ready(self) -> None:
        from aptrack.core import navigation
        from aptrack.sufficiency import permissions

        navigation.register_page("sufficiency:page", permissions.can_see_sufficiency)
        navigation.register_navigation(
            order=76, text="Sufficiency", name="sufficiency:page", group="commissioning"
        )
