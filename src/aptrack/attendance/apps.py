from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "aptrack.attendance"
    verbose_name = "Attendance"

    def ready(self) -> None:
        from aptrack.accounts.roles import Role
        from aptrack.attendance import permissions
        from aptrack.core import navigation

        navigation.register_page(
            "attendance:register", lambda user: getattr(user, "role", None) == Role.PROVIDER_STAFF
        )
        navigation.register_page(
            "attendance:measures",
            lambda user: (
                getattr(user, "role", None) != Role.PROVIDER_STAFF
                and permissions.measures_scope(user) is not None
            ),
        )
        navigation.register_navigation(
            order=50, text="Attendance", name="attendance:register", group="placements"
        )
        navigation.register_navigation(
            order=51, text="Attendance", name="attendance:measures", group="placements"
        )

        from aptrack.attendance.models import AttendanceMark, PlacementWeek
        from aptrack.core import changes
        from aptrack.placements.changes import recorded_against_placement

        # Marks and rollups written in bulk are announced by their writers (services, rollups).
        changes.register(AttendanceMark, touches=recorded_against_placement)
        changes.register(PlacementWeek, touches=lambda week: [week.local_authority_id])

        from aptrack.attendance import selectors
        from aptrack.placements.readers import readers as placement_readers
        from aptrack.referrals.readers import readers as referral_readers

        placement_readers.register(
            "illness_approaching",
            lambda la_id, on: selectors.list_illness_approaching(la_id=la_id, on=on),
        )
        referral_readers.register("illness_duty", selectors.get_illness_duty)
