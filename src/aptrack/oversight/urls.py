from django.urls import path  # noqa: F401

app_name = "oversight"
urlpatterns: list = []

# Committee packs (pack_views.py).
from aptrack.oversight import pack_views  # noqa: E402

urlpatterns += [
    path("pack/", pack_views.pack_request, name="pack_request"),
    path("pack/<int:export_id>/", pack_views.pack_status, name="pack_status"),
    path("pack/<int:export_id>/<str:kind>/", pack_views.pack_download, name="pack_download"),
]
