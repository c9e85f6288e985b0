from django.apps import AppConfig


class OversightConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "aptrack.oversight"
    verbose_name = "Oversight"

    def ready(self) -> None:
        from aptrack.oversight import freshness

        freshness.connect()
