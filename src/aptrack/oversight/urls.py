from django.urls import path

from aptrack.oversight import views

app_name = "oversight"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("children/", views.children, name="children"),
]

# Committee packs and the regional view (pack/regional engineer; pack_views.py, regional_views.py).
from aptrack.oversight import pack_views, regional_views  # noqa: E402

urlpatterns += [
    path("pack/", pack_views.pack_request, name="pack_request"),
    path("pack/<int:export_id>/", pack_views.pack_status, name="pack_status"),
    path("pack/<int:export_id>/<str:kind>/", pack_views.pack_download, name="pack_download"),
    path("regional/", regional_views.regional, name="regional"),
]
