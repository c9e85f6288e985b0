from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "aptrack.calendars"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from aptrack.calendars.models import ClosureDay, TermPeriod
        from aptrack.core import changes

        def touches(day: TermPeriod | ClosureDay) -> list[int] | None:
            """The LA's own term dates, or the standard pattern every LA without its own follows."""
            return None if day.local_authority_id is None else [day.local_authority_id]

        changes.register(TermPeriod, touches=touches)
        changes.register(ClosureDay, touches=touches)
