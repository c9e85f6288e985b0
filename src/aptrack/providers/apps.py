from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    name = "aptrack.providers"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from aptrack.core import navigation
        from aptrack.providers import permissions

        navigation.register_page("providers:list", permissions.can_view_register)
        navigation.register_navigation_group(key="providers", order=70, text="Providers")
        navigation.register_navigation(
            order=70, text="Providers", name="providers:list", group="providers"
        )

        from aptrack.core import changes
        from aptrack.providers.models import Provider, ProviderSite

        # A provider's name, kind and sites show in the figures of every LA that uses it.
        changes.register(Provider, touches=lambda provider: None)
        changes.register(ProviderSite, touches=lambda site: None)
