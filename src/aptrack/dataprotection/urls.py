from django.urls import path

from aptrack.dataprotection import views

app_name = "dataprotection"
urlpatterns = [
    path("audit-log/", views.audit_log, name="audit_log"),
    path(
        "children/<int:child_id>/subject-access.json",
        views.child_subject_access,
        {"fmt": "json"},
        name="subject_access_json",
    ),
    path(
        "children/<int:child_id>/subject-access.pdf",
        views.child_subject_access,
        {"fmt": "pdf"},
        name="subject_access_pdf",
    ),
]
