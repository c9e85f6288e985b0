"""The second step of sign-in: enter a TOTP code, or set up an authenticator app first."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login

from aptrack.accounts import two_factor
from aptrack.accounts.forms import TwoFactorCodeForm
from aptrack.accounts.requests import AuthenticatedHttpRequest


class SignInView(auth_views.LoginView):
    """Django's sign-in, offering the council's single sign-on where it is set up."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        return {
            **super().get_context_data(**kwargs),
            "single_sign_on": bool(settings.OIDC_RP_CLIENT_ID),
        }


def _next(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@login_required
def two_factor_verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    device = two_factor.confirmed_device(request.user)
    if device is None:
        return HttpResponseRedirect(resolve_url("accounts:two_factor_set_up"))
    form = TwoFactorCodeForm(request.POST or None)
    if form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            otp_login(request, device)
            return HttpResponseRedirect(_next(request))
        form.add_error("code", two_factor.CODE_WRONG)
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": _next(request)}
    )


@login_required
def two_factor_set_up(request: AuthenticatedHttpRequest) -> HttpResponse:
    if two_factor.is_verified(request.user):
        # Changing a device needs the current one first; a lost one is reset by an administrator.
        return HttpResponseRedirect(_next(request))
    if two_factor.confirmed_device(request.user) is not None:
        return HttpResponseRedirect(resolve_url("accounts:two_factor_verify"))
    device = two_factor.enrolment_device(user=request.user)
    form = TwoFactorCodeForm(request.POST or None)
    if form.is_valid():
        if two_factor.two_factor_confirm(device=device, code=form.cleaned_data["code"]):
            otp_login(request, device)
            return HttpResponseRedirect(_next(request))
        form.add_error("code", two_factor.CODE_WRONG)
    context = {
        "form": form,
        "next": _next(request),
        "qr_code": two_factor.enrolment_qr_code(device),
        "secret": two_factor.enrolment_secret(device),
        "required": two_factor.two_factor_required(request.user),
    }
    return render(request, "accounts/two_factor_set_up.html", context)
