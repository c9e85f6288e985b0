from django.urls import path

from aptrack.outcomes import views

app_name = "outcomes"
urlpatterns = [
    path("placements/<int:placement_id>/", views.placement_outcomes, name="placement"),
    path("placements/<int:placement_id>/grades/new/", views.attainment_new, name="attainment_new"),
    path(
        "placements/<int:placement_id>/qualifications/new/",
        views.qualification_new,
        name="qualification_new",
    ),
    path(
        "placements/<int:placement_id>/qualifications/<int:qualification_id>/result/",
        views.qualification_result,
        name="qualification_result",
    ),
    path("placements/<int:placement_id>/wellbeing/new/", views.wellbeing_new, name="wellbeing_new"),
    path(
        "placements/<int:placement_id>/attendance-before/",
        views.prior_attendance,
        name="prior_attendance",
    ),
    path("outreach/", views.outreach_list, name="outreach"),
    path("outreach/new/", views.outreach_new, name="outreach_new"),
]
