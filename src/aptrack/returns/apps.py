from typing import Any

from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "aptrack.returns"
    verbose_name = "Provider returns"

    def ready(self) -> None:
        from aptrack.core import navigation
        from aptrack.returns import permissions, selectors

        def makes_returns(user: Any) -> bool:
            """Returns are for the LA and for non-school providers: a PRU or school makes none."""
            if not permissions.can_use_returns(user):
                return False
            if not permissions.is_provider_staff(user):
                return True
            own = selectors.get_own_provider(user=user)
            return own is not None and not own.is_registered

        navigation.register_page("returns:list", makes_returns)
        # One of the Providers pages: a non-school provider's staff make their returns there, the
        # LA reads them.
        navigation.register_navigation(
            order=80, text="Returns", name="returns:list", group="providers"
        )
