from django.urls import path

from aptrack.reports import views

app_name = "reports"
urlpatterns = [
    path("overdue/", views.overdue_reports, name="overdue"),
    path("placements/<int:placement_id>/", views.placement_reports, name="placement"),
    path("placements/<int:placement_id>/new/", views.report_new, name="new"),
    path("placements/<int:placement_id>/incidents/new/", views.incident_new, name="incident_new"),
    path("<int:report_id>/", views.report_detail, name="detail"),
    path("incidents/<int:incident_id>/", views.incident_detail, name="incident"),
    path("children/<int:child_id>/incidents/", views.child_incidents, name="chronology"),
]
