from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "aptrack.referrals"
    default_auto_field = "django.db.models.BigAutoField"
