from django.apps import AppConfig


class SyntheticConfig(AppConfig):
    name = "aptrack.synthetic"
    default_auto_field = "django.db.models.BigAutoField"
