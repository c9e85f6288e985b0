from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "aptrack.outcomes"
    verbose_name = "Outcomes"

    def ready(self) -> None:
        from aptrack.core import navigation
        from aptrack.outcomes import permissions

        navigation.register_page(
            "outcomes:outreach", lambda user: permissions.outreach_la_id(user) is not None
        )
        navigation.register_navigation(
            order=95, text="Outreach", name="outcomes:outreach", group="oversight"
        )

        from aptrack.core import changes
        from aptrack.outcomes import models
        from aptrack.placements.changes import recorded_against_placement

        for model in (
            models.AttainmentRecord,
            models.Qualification,
            models.WellbeingScore,
            models.PriorAttendance,
        ):
            changes.register(model, touches=recorded_against_placement)
        changes.register(
            models.OutreachSupport, touches=lambda support: [support.local_authority_id]
        )
