from django.urls import path

from aptrack.panels import views

app_name = "panels"
urlpatterns = [
    path("", views.panel_list, name="list"),
    path("new/", views.panel_new, name="new"),
    path("<int:panel_id>/", views.panel_detail, name="detail"),
    path("<int:panel_id>/edit/", views.panel_edit, name="edit"),
    path("<int:panel_id>/members/new/", views.member_new, name="member_new"),
    path(
        "<int:panel_id>/members/<int:member_id>/remove/", views.member_remove, name="member_remove"
    ),
    path("<int:panel_id>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:meeting_id>/agenda/", views.agenda_add, name="agenda_add"),
    path("meetings/<int:meeting_id>/attendance/", views.attendance, name="attendance"),
    path(
        "meetings/<int:meeting_id>/items/<int:item_id>/decision/", views.decision, name="decision"
    ),
    path(
        "meetings/<int:meeting_id>/items/<int:item_id>/carry-forward/",
        views.carry_forward,
        name="carry_forward",
    ),
    path("meetings/<int:meeting_id>/actions/", views.action_new, name="action_new"),
    path(
        "meetings/<int:meeting_id>/actions/<int:action_id>/done/",
        views.action_done,
        name="action_done",
    ),
    path("meetings/<int:meeting_id>/close/", views.close, name="close"),
    path("meetings/<int:meeting_id>/pack/", views.pack, name="pack"),
    path("meetings/<int:meeting_id>/minutes/", views.minutes, name="minutes"),
]
