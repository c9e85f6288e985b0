from django.urls import path

from aptrack.referrals import views

app_name = "referrals"
urlpatterns = [
    path("", views.referral_list, name="list"),
    path("new/", views.referral_new, name="new"),
    path("sixth-day/", views.sixth_day, name="sixth_day"),
    path("<int:referral_id>/", views.referral_detail, name="detail"),
    path("<int:referral_id>/edit/", views.referral_edit, name="edit"),
    path("<int:referral_id>/submit/", views.referral_submit, name="submit"),
    path("<int:referral_id>/withdraw/", views.referral_withdraw, name="withdraw"),
]
