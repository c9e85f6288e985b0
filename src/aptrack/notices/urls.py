from django.urls import path

from aptrack.notices import views

app_name = "notices"
urlpatterns = [
    path("", views.notice_list, name="list"),
    path("<int:notice_id>/", views.notice_detail, name="detail"),
    path("exclusion/", views.exclusion_new, name="exclusion_new"),
    path("school-ap/", views.school_ap_new, name="school_ap_new"),
]
