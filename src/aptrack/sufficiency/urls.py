from django.urls import path

from aptrack.sufficiency import views

app_name = "sufficiency"
urlpatterns = [path("", views.page, name="page")]
