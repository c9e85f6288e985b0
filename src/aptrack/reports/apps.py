from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "aptrack.reports"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Provider reports and incidents"

    def ready(self) -> None:
        from aptrack.core import navigation
        from aptrack.reports import permissions, selectors

        navigation.register_page("reports:overdue", permissions.can_see_overdue_reports)
        navigation.register_navigation(
            order=45, text="Provider reports", name="reports:overdue", group="placements"
        )
        navigation.register_section(
            page="placements:review_new",
            template="reports/section_latest_report.html",
            context=selectors.latest_report_section,
        )
        navigation.register_section(
            page="placements:detail",
            template="reports/section_placement.html",
            context=selectors.placement_section,
        )
        navigation.register_section(
            page="alerts:detail",
            template="reports/section_alert.html",
            context=selectors.alert_section,
        )
        navigation.register_home_panel(
            order=35,
            template="reports/home_panel.html",
            context=selectors.home_panel,
        )
        navigation.register_section(
            page="placements:timeline",
            template="reports/section_timeline.html",
            context=selectors.timeline_section,
        )
        navigation.register_section(
            page="children:detail",
            template="reports/section_child.html",
            context=selectors.child_section,
        )
