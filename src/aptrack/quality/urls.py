from django.urls import path

from aptrack.quality import views

app_name = "quality"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("providers/<int:provider_id>/compliance/", views.compliance, name="compliance"),
    path("providers/<int:provider_id>/visits/", views.visit_list, name="visits"),
    path("providers/<int:provider_id>/visits/new/", views.visit_new, name="visit_new"),
    path("visits/<int:visit_id>/", views.visit_detail, name="visit"),
    path("visits/<int:visit_id>/complete/", views.visit_complete, name="visit_complete"),
    path("visits/<int:visit_id>/actions/", views.action_new, name="action_new"),
    path(
        "visits/<int:visit_id>/actions/<int:action_id>/status/",
        views.action_status,
        name="action_status",
    ),
    path("frameworks/", views.framework_list, name="frameworks"),
    path("frameworks/<int:framework_id>/", views.framework_detail, name="framework"),
    path("frameworks/<int:framework_id>/copy/", views.framework_copy, name="framework_copy"),
    path("frameworks/<int:framework_id>/edit/", views.framework_edit, name="framework_edit"),
    path(
        "frameworks/<int:framework_id>/standards/new/",
        views.standard_new,
        name="standard_new",
    ),
    path(
        "frameworks/<int:framework_id>/standards/<int:standard_id>/edit/",
        views.standard_edit,
        name="standard_edit",
    ),
    path(
        "frameworks/<int:framework_id>/standards/<int:standard_id>/remove/",
        views.standard_remove,
        name="standard_remove",
    ),
    path("report/", views.report, name="report"),
]
