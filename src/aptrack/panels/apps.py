from django.apps import AppConfig


class PanelsConfig(AppConfig):
    name = "aptrack.panels"
    default_auto_field = "django.db.models.BigAutoField"
