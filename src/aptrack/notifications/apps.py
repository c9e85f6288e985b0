from typing import Any

from django.apps import AppConfig


def _on_alert(sender: Any, alert: Any, escalated: bool, at: Any, **kwargs: Any) -> None:
    from aptrack.notifications import services

    services.notify_alert(alert=alert, escalated=escalated, at=at)


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "aptrack.notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from aptrack.core import alerting, navigation

        navigation.register_page(
            "notifications:preferences", lambda user: bool(getattr(user, "role", ""))
        )
        navigation.register_navigation_group(key="notifications", order=95, text="Notifications")
        navigation.register_navigation(
            order=95, text="Notifications", name="notifications:preferences", group="notifications"
        )
        alerting.alert_raised.connect(_on_alert, dispatch_uid="notifications-alert-raised")
