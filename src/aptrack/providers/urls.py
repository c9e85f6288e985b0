from django.urls import path

from aptrack.providers import views

app_name = "providers"
urlpatterns = [
    path("", views.provider_list, name="list"),
    path("new/", views.provider_new, name="new"),
    path("<int:provider_id>/", views.provider_detail, name="detail"),
    path("<int:provider_id>/edit/", views.provider_edit, name="edit"),
    path("<int:provider_id>/sites/new/", views.site_new, name="site_new"),
    path("<int:provider_id>/standing/", views.approval_change, name="approval"),
    path("<int:provider_id>/notes-and-rates/", views.relationship_edit, name="relationship"),
]
