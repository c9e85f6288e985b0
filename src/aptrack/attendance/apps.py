from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "aptrack.attendance"
    verbose_name = "Attendance"

    def ready(self) -> None:
        from aptrack.attendance.models import AttendanceMark, PlacementWeek
        from aptrack.core import changes
        from aptrack.placements.changes import recorded_against_placement

        # Marks and rollups written in bulk are announced by their writers (services, rollups).
        changes.register(AttendanceMark, touches=recorded_against_placement)
        changes.register(PlacementWeek, touches=lambda week: [week.local_authority_id])
