from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "aptrack.organisations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from aptrack.core import changes
        from aptrack.organisations.models import LocalAuthority, Organisation

        # Names that every LA's figures may show (providers, schools, LAs).
        changes.register(LocalAuthority, touches=lambda la: None)
        changes.register(Organisation, touches=lambda organisation: None)
