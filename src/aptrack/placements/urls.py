from django.urls import path

from aptrack.placements import views

app_name = "placements"
urlpatterns = [
    path("", views.placement_list, name="list"),
    path("home/", views.caseworker_home, name="home"),
    path("new/", views.placement_new, name="new"),
    path("children/<int:child_id>/timeline/", views.child_timeline, name="timeline"),
    path("<int:placement_id>/", views.placement_detail, name="detail"),
    path("<int:placement_id>/edit/", views.placement_edit, name="edit"),
    path("<int:placement_id>/agreement.pdf", views.agreement_download, name="agreement"),
    path("<int:placement_id>/start/", views.placement_activate, name="activate"),
    path("<int:placement_id>/cancel/", views.placement_cancel, name="cancel"),
    path("<int:placement_id>/outcomes/new/", views.outcome_new, name="outcome_new"),
    path(
        "<int:placement_id>/outcomes/<int:outcome_id>/edit/",
        views.outcome_edit,
        name="outcome_edit",
    ),
    path("<int:placement_id>/passport/", views.passport_edit, name="passport"),
    path("<int:placement_id>/reviews/new/", views.review_new, name="review_new"),
    path("<int:placement_id>/end/", views.placement_end, name="end"),
    path(
        "<int:placement_id>/follow-ups/<int:follow_up_id>/",
        views.follow_up_record,
        name="follow_up",
    ),
]
