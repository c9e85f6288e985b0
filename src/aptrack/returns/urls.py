from django.urls import path

from aptrack.returns import views

app_name = "returns"
urlpatterns = [
    path("", views.return_list, name="list"),
    path("new/", views.return_new, name="new"),
    path("alerts/", views.alerts, name="alerts"),
    path("<int:return_id>/", views.return_detail, name="detail"),
    path("<int:return_id>/pupils/new/", views.line_new, name="line_new"),
    path(
        "<int:return_id>/pupils/new-not-on-aptrack/",
        views.line_new_anonymous,
        name="line_new_anonymous",
    ),
    path("<int:return_id>/pupils/<int:line_id>/remove/", views.line_remove, name="line_remove"),
    path("<int:return_id>/submit/", views.return_submit, name="submit"),
]
