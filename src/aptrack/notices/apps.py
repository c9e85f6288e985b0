from django.apps import AppConfig


class NoticesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "aptrack.notices"
    verbose_name = "Notices from schools"

    def ready(self) -> None:
        from aptrack.core import navigation
        from aptrack.notices import permissions

        navigation.register_page("notices:list", permissions.can_read_notices)
        navigation.register_navigation(
            order=35, text="Notices from schools", name="notices:list", group="referrals"
        )
