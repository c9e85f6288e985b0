from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "aptrack.organisations"
    default_auto_field = "django.db.models.BigAutoField"
