from django.urls import path

from aptrack.oversight.dashboard import views
from aptrack.oversight.pack import views as pack_views
from aptrack.oversight.regional import views as regional_views

app_name = "oversight"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("children/", views.children, name="children"),
    path("pack/", pack_views.pack_request, name="pack_request"),
    path("pack/<int:export_id>/", pack_views.pack_status, name="pack_status"),
    path("pack/<int:export_id>/<str:kind>/", pack_views.pack_download, name="pack_download"),
    path("regional/", regional_views.regional, name="regional"),
]
