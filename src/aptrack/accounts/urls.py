from django.contrib.auth import views as auth_views
from django.urls import include, path

from aptrack.accounts import views
from aptrack.accounts.forms import SignInForm

app_name = "accounts"
urlpatterns = [
    path(
        "sign-in/",
        views.SignInView.as_view(authentication_form=SignInForm),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("security-code/", views.two_factor_verify, name="two_factor_verify"),
    path("security-code/set-up/", views.two_factor_set_up, name="two_factor_set_up"),
    path("single-sign-on/", include("mozilla_django_oidc.urls")),
]
