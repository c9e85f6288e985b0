from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "aptrack.documents"
    verbose_name = "Documents"

    def ready(self) -> None:
        from aptrack.core import navigation
        from aptrack.documents import selectors

        # A provider's report lists the documents sent with it (reports imports no documents).
        navigation.register_section(
            page="reports:detail",
            template="documents/section_report.html",
            context=selectors.report_section,
        )
