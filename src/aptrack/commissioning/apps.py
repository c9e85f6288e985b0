from django.apps import AppConfig


class CommissioningConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "aptrack.commissioning"
    verbose_name = "Commissioning and finance"
