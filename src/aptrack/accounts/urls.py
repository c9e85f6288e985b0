from django.contrib.auth import views as auth_views
from django.urls import path

from aptrack.accounts import views
from aptrack.accounts.forms import SignInForm

app_name = "accounts"
urlpatterns = [
    path(
        "sign-in/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html", authentication_form=SignInForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("security-code/", views.two_factor_verify, name="two_factor_verify"),
    path("security-code/set-up/", views.two_factor_set_up, name="two_factor_set_up"),
]
