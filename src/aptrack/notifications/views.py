"""A person's notification choices, and the messages recently sent to them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from aptrack.accounts.requests import AuthenticatedHttpRequest
from aptrack.notifications import selectors, services
from aptrack.notifications.forms import PreferenceForm


@login_required
def preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    preference = services.preference_for(request.user)
    form = PreferenceForm(
        request.POST or None,
        initial={
            "urgent": preference.urgent,
            "routine": preference.routine,
            "sms": preference.sms,
            "mobile_number": preference.mobile_number,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.update_preference(user=request.user, **form.cleaned_data)
        messages.success(request, "Your notification choices have been saved")
        return redirect("notifications:preferences")
    return TemplateResponse(
        request,
        "notifications/preferences.html",
        {"form": form, "recent": selectors.list_recent(user=request.user)},
    )
