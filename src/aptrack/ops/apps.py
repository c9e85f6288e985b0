from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running aptrack: readiness, the task worker's heartbeat, JSON logs and error reporting."""

    name = "aptrack.ops"
    label = "ops"
    default_auto_field = "django.db.models.BigAutoField"
