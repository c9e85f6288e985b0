from django.apps import AppConfig


class AlertsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "aptrack.alerts"
    verbose_name = "Attendance alerts"
