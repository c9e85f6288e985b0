from django.urls import path

from aptrack.census import views

app_name = "census"
urlpatterns = [
    path("", views.census_home, name="home"),
    path("<str:la_code>/", views.census_page, name="page"),
    path("<str:la_code>/census.csv", views.census_download, name="download"),
    path("<str:la_code>/errors.csv", views.error_report_download, name="errors"),
    path("<str:la_code>/placements/<int:placement_id>/reason/", views.record_reason, name="reason"),
]
