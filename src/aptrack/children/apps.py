from django.apps import AppConfig


class ChildrenConfig(AppConfig):
    name = "aptrack.children"
    default_auto_field = "django.db.models.BigAutoField"
