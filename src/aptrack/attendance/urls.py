from django.urls import path

from aptrack.attendance import views

app_name = "attendance"
urlpatterns = [
    path("", views.register, name="register"),
    path("upload/", views.upload, name="upload"),
    path("measures/", views.measures, name="measures"),
    path("children/<int:child_id>/", views.child_attendance, name="child"),
]
