from django.apps import AppConfig


class PlacementsConfig(AppConfig):
    name = "aptrack.placements"
    default_auto_field = "django.db.models.BigAutoField"
