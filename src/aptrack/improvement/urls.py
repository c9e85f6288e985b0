from django.urls import path

from aptrack.improvement import views

app_name = "improvement"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/", views.plan_new, name="plan_new"),
    path("<int:plan_id>/", views.plan_detail, name="plan"),
    path("<int:plan_id>/edit/", views.plan_edit, name="plan_edit"),
    path("<int:plan_id>/priorities/new/", views.priority_form, name="priority_new"),
    path(
        "<int:plan_id>/priorities/<int:priority_id>/edit/",
        views.priority_form,
        name="priority_edit",
    ),
    path(
        "<int:plan_id>/priorities/<int:priority_id>/actions/new/",
        views.action_form,
        name="action_new",
    ),
    path("<int:plan_id>/actions/<int:action_id>/", views.action_detail, name="action"),
    path("<int:plan_id>/actions/<int:action_id>/edit/", views.action_form, name="action_edit"),
]
