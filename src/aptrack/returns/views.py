"""Provider return pages and the LA's registration and time-limit alerts.

Each view: role check (403), load through a scoped selector (404), one service call, render.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from aptrack.accounts.requests import AuthenticatedHttpRequest
from aptrack.audit import reads
from aptrack.audit.models import Channel
from aptrack.core.errors import add_service_errors
from aptrack.returns import permissions, selectors, services, threshold
from aptrack.returns.forms import (
    AnonymousLineForm,
    ChildLineForm,
    ReturnFilterForm,
    StartReturnForm,
    SubmitReturnForm,
)
from aptrack.returns.models import ProviderReturn


def _require_returns_user(request: AuthenticatedHttpRequest) -> None:
    if not permissions.can_use_returns(request.user):
        raise PermissionDenied


def _load_return(request: AuthenticatedHttpRequest, return_id: int) -> ProviderReturn:
    _require_returns_user(request)
    provider_return = selectors.get_return(user=request.user, return_id=return_id)
    if provider_return is None:
        # Out of reach looks the same as missing.
        raise Http404("No return found")
    return provider_return


def _load_editable_return(request: AuthenticatedHttpRequest, return_id: int) -> ProviderReturn:
    provider_return = _load_return(request, return_id)
    if not permissions.can_edit_return(request.user, provider_return):
        raise PermissionDenied
    return provider_return


@login_required
def return_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_returns_user(request)
    user = request.user
    periods = selectors.list_return_periods(user=user)
    filter_form = ReturnFilterForm(request.GET or None, periods=periods)
    filters = selectors.ReturnFilters()
    if filter_form.is_valid():
        period = filter_form.cleaned_data["period"]
        filters = selectors.ReturnFilters(
            status=filter_form.cleaned_data["status"],
            period_start_date=period[0] if period else None,
            period_end_date=period[1] if period else None,
        )
    page = Paginator(selectors.list_returns(user=user, filters=filters), 25).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    base = "?" + (query.urlencode() + "&" if query else "") + "page="
    is_provider_staff = permissions.is_provider_staff(user)
    return TemplateResponse(
        request,
        "returns/list.html",
        {
            "filter_form": filter_form,
            "page": page,
            "base": base,
            "is_provider_staff": is_provider_staff,
            "own_provider": selectors.get_own_provider(user=user) if is_provider_staff else None,
            "can_start": permissions.can_start_returns(user)
            and selectors.list_startable_providers(user=user).exists(),
            "can_view_alerts": permissions.can_view_alerts(user),
        },
    )


@login_required
def return_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_start_returns(request.user):
        raise PermissionDenied
    startable = list(selectors.list_startable_providers(user=request.user))
    is_provider_staff = permissions.is_provider_staff(request.user)
    if is_provider_staff and not startable:
        # Not on the register, or a registered school: no returns to make.
        raise PermissionDenied
    form = StartReturnForm(
        request.POST if request.method == "POST" else None,
        providers=None if is_provider_staff else startable,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            provider_return = services.start_return(
                actor=request.user,
                at=timezone.now(),
                provider=startable[0] if is_provider_staff else data["provider"],
                period_start_date=data["period_start_date"],
                period_end_date=data["period_end_date"],
            )
        except services.ReturnInvalid as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Return started. Add each pupil who attended, then submit it")
            return redirect("returns:detail", return_id=provider_return.pk)
    return TemplateResponse(
        request,
        "returns/start.html",
        {"form": form, "own_provider": startable[0] if is_provider_staff else None},
    )


@login_required
def return_detail(request: AuthenticatedHttpRequest, return_id: int) -> HttpResponse:
    provider_return = _load_return(request, return_id)
    lines = selectors.list_lines(provider_return=provider_return)
    visible = selectors.list_visible_children(
        user=request.user, child_ids=(line.child_id for line in lines)
    )
    reads.record_reads(request, children=visible.values())
    return TemplateResponse(
        request,
        "returns/detail.html",
        {
            "provider_return": provider_return,
            "lines": lines,
            "visible": visible,
            "events": selectors.list_events(provider_return=provider_return),
            "can_edit": provider_return.is_editable
            and permissions.can_edit_return(request.user, provider_return),
        },
    )


def _redirect_if_submitted(
    request: AuthenticatedHttpRequest, provider_return: ProviderReturn
) -> HttpResponse | None:
    if provider_return.is_editable:
        return None
    messages.info(request, services.NOT_EDITABLE)
    return redirect("returns:detail", return_id=provider_return.pk)


@login_required
def line_new(request: AuthenticatedHttpRequest, return_id: int) -> HttpResponse:
    provider_return = _load_editable_return(request, return_id)
    if (response := _redirect_if_submitted(request, provider_return)) is not None:
        return response
    choices = selectors.list_line_child_choices(user=request.user, provider_return=provider_return)
    form = ChildLineForm(
        request.POST if request.method == "POST" else None,
        children=choices,
        sites=selectors.list_site_choices(provider=provider_return.provider),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.add_child_line(
                actor=request.user,
                at=timezone.now(),
                channel=Channel.WEB,
                provider_return=provider_return,
                child=form.cleaned_data["child"],
                hours_per_week=form.cleaned_data["hours_per_week"],
                sites=form.chosen_sites(),
                where=request.path,
            )
        except services.ReturnInvalid as error:
            add_service_errors(form, error)
        except services.ReturnNotEditable as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Pupil added to the return")
            return redirect("returns:detail", return_id=provider_return.pk)
    # The form's list of children names each one: all of them are read.
    reads.record_reads(request, children=choices)
    return TemplateResponse(
        request,
        "returns/line_form.html",
        {"form": form, "provider_return": provider_return, "anonymous": False},
    )


@login_required
def line_new_anonymous(request: AuthenticatedHttpRequest, return_id: int) -> HttpResponse:
    provider_return = _load_editable_return(request, return_id)
    if (response := _redirect_if_submitted(request, provider_return)) is not None:
        return response
    form = AnonymousLineForm(
        request.POST if request.method == "POST" else None,
        sites=selectors.list_site_choices(provider=provider_return.provider),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_anonymous_line(
                actor=request.user,
                at=timezone.now(),
                channel=Channel.WEB,
                provider_return=provider_return,
                age_years=data["age_years"],
                compulsory_school_age=data["compulsory_school_age"],
                looked_after=data["looked_after"],
                has_ehcp=data["has_ehcp"],
                hours_per_week=data["hours_per_week"],
                sites=form.chosen_sites(),
                where=request.path,
            )
        except services.ReturnInvalid as error:
            add_service_errors(form, error)
        except services.ReturnNotEditable as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Pupil added to the return")
            return redirect("returns:detail", return_id=provider_return.pk)
    return TemplateResponse(
        request,
        "returns/line_form.html",
        {"form": form, "provider_return": provider_return, "anonymous": True},
    )


@login_required
@require_POST
def line_remove(request: AuthenticatedHttpRequest, return_id: int, line_id: int) -> HttpResponse:
    provider_return = _load_editable_return(request, return_id)
    line = selectors.get_line(provider_return=provider_return, line_id=line_id)
    if line is None:
        raise Http404("No line found")
    try:
        services.remove_line(
            actor=request.user,
            at=timezone.now(),
            channel=Channel.WEB,
            line=line,
            where=request.path,
        )
    except services.ReturnNotEditable as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Pupil removed from the return")
    return redirect("returns:detail", return_id=provider_return.pk)


@login_required
def return_submit(request: AuthenticatedHttpRequest, return_id: int) -> HttpResponse:
    provider_return = _load_editable_return(request, return_id)
    if request.method != "POST":
        response = _redirect_if_submitted(request, provider_return)
        if response is not None:
            return response
    form = SubmitReturnForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_return(
                actor=request.user, at=timezone.now(), provider_return=provider_return
            )
        except services.ReturnMoveNotAllowed as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Return submitted")
            return redirect("returns:detail", return_id=provider_return.pk)
    return TemplateResponse(
        request,
        "returns/submit.html",
        {
            "form": form,
            "provider_return": provider_return,
            "line_count": provider_return.lines.count(),
        },
    )


@login_required
def alerts(request: AuthenticatedHttpRequest) -> HttpResponse:
    la_id = permissions.alerts_la_id(request.user)
    if la_id is None:
        raise PermissionDenied
    today = timezone.localdate()
    registration = threshold.list_registration_alerts(la_id=la_id, on=today)
    long_placements = selectors.list_long_non_school_placements(la_id=la_id, on=today)
    child_ids = [child_id for alert in registration for child_id in alert.result.child_ids]
    child_ids += [row.child_id for row in long_placements]
    visible = selectors.list_visible_children(user=request.user, child_ids=child_ids)
    reads.record_reads(request, children=visible.values())
    return TemplateResponse(
        request,
        "returns/alerts.html",
        {
            "today": today,
            "registration_alerts": registration,
            "long_placements": long_placements,
            "visible": visible,
            "full_time_hours": threshold.full_time_hours(),
            "max_weeks": selectors.non_school_max_weeks(),
        },
    )
