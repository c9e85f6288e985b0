from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    name = "aptrack.providers"
    default_auto_field = "django.db.models.BigAutoField"
