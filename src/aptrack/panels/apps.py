from django.apps import AppConfig


class PanelsConfig(AppConfig):
    name = "aptrack.panels"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from aptrack.core import navigation
        from aptrack.panels import permissions

        navigation.register_page("panels:list", permissions.can_use_panels)
        navigation.register_navigation(
            order=30, text="Panels", name="panels:list", group="referrals"
        )

        from aptrack.accounts.roles import Role
        from aptrack.referrals import permissions as referral_permissions

        referral_permissions.register_scope(Role.PANEL_MEMBER, permissions.scope_referrals)

        from aptrack.panels import selectors
        from aptrack.referrals.readers import readers as referral_readers

        referral_readers.register("agenda_history", selectors.list_agenda_history)
        referral_readers.register("fair_access_approvals", selectors.list_fair_access_approvals)
