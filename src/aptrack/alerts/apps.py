from django.apps import AppConfig


class AlertsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "aptrack.alerts"
    verbose_name = "Attendance alerts"

    def ready(self) -> None:
        from aptrack.alerts import permissions, selectors
        from aptrack.core import navigation

        navigation.register_page("alerts:list", permissions.can_use_alerts)
        navigation.register_navigation(
            order=60, text="Alerts", name="alerts:list", group="placements"
        )
        navigation.register_home_panel(
            order=30,
            template="alerts/home_panel.html",
            context=lambda user: (
                {"open_alerts": selectors.count_open_alerts(user)}
                if getattr(user, "role", None) in permissions.ALERT_ROLES
                else None
            ),
        )
