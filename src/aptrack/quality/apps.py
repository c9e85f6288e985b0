from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "aptrack.quality"
    verbose_name = "Quality assurance"
    default_auto_field = "django.db.models.BigAutoField"
