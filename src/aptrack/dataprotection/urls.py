from django.urls import path

from aptrack.dataprotection import views

app_name = "dataprotection"
urlpatterns = [
    path("audit-log/", views.audit_log, name="audit_log"),
]
