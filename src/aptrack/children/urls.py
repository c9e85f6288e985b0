from django.urls import path

from aptrack.children import ctf_views, views

app_name = "children"
urlpatterns = [
    path("", views.child_list, name="list"),
    path("new/", views.child_new, name="new"),
    path("import-ctf/", ctf_views.import_ctf, name="import_ctf"),
    path("import-ctf/confirm/", ctf_views.import_ctf_confirm, name="import_ctf_confirm"),
    path("<int:child_id>/", views.child_detail, name="detail"),
    path("<int:child_id>/edit/", views.child_edit, name="edit"),
    path("<int:child_id>/audit-trail.csv", views.child_audit_trail, name="audit_trail"),
]
