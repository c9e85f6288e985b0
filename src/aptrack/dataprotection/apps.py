from django.apps import AppConfig


class DataProtectionConfig(AppConfig):
    name = "aptrack.dataprotection"
    label = "dataprotection"
    default_auto_field = "django.db.models.BigAutoField"
