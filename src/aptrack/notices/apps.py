from django.apps import AppConfig


class NoticesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "aptrack.notices"
    verbose_name = "Notices from schools"
