from django.apps import AppConfig


class CensusConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "aptrack.census"
    verbose_name = "AP census"

    def ready(self) -> None:
        from aptrack.census import permissions
        from aptrack.core import navigation

        navigation.register_page("census:home", permissions.can_prepare_census)
        navigation.register_navigation(
            order=94, text="AP census", name="census:home", group="oversight"
        )
