from django.urls import path

from aptrack.alerts import views

app_name = "alerts"
urlpatterns = [
    path("", views.alert_list, name="list"),
    path("acknowledge/", views.alert_bulk_acknowledge, name="bulk_acknowledge"),
    path("<int:alert_id>/", views.alert_detail, name="detail"),
    path("<int:alert_id>/acknowledge/", views.alert_acknowledge, name="acknowledge"),
    path("<int:alert_id>/resolve/", views.alert_resolve, name="resolve"),
]
