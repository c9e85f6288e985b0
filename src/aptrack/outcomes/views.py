"""Outcomes pages: load through the scoped placements, authorise, one service call, render.

A placement outside the user's scope is missing (404) and every view of one is audited; a
role that may not record outcomes is refused (403). Outreach pages are the LA's own."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from aptrack.accounts.requests import AuthenticatedHttpRequest
from aptrack.audit import services as audit
from aptrack.audit.models import Channel
from aptrack.core.concurrency import RecordChangedElsewhere, versioned
from aptrack.core.errors import add_service_errors
from aptrack.core.govuk.pagination import pagination_params
from aptrack.organisations.models import LocalAuthority
from aptrack.outcomes import permissions, placement_selectors, selectors, services
from aptrack.outcomes.forms import (
    AttainmentForm,
    OutreachForm,
    PriorAttendanceForm,
    QualificationForm,
    QualificationResultForm,
    WellbeingForm,
)
from aptrack.placements.models import Placement
from aptrack.placements.states import PlacementStatus


def _load(request: AuthenticatedHttpRequest, placement_id: int) -> Placement:
    if not permissions.can_view_outcomes(request.user):
        raise PermissionDenied
    placement = (
        permissions.scope_placements(request.user)
        .select_related("child", "provider", "commissioning_la", "commissioning_school")
        .filter(pk=placement_id)
        .first()
    )
    if placement is None:
        raise Http404("No placement found")
    audit.record_view(
        actor=request.user,
        at=timezone.now(),
        channel=Channel.WEB,
        child=placement.child,
        where=request.path,
    )
    return placement


def _load_for_recording(request: AuthenticatedHttpRequest, placement_id: int) -> Placement:
    placement = _load(request, placement_id)
    if not permissions.can_record_outcomes(request.user, placement):
        raise PermissionDenied
    return placement


def _reviews(request: AuthenticatedHttpRequest, placement: Placement) -> Any:
    if permissions.can_see_follow_ups(request.user):
        return placement_selectors.list_reviews(placement=placement)
    return None


def _record(
    request: AuthenticatedHttpRequest,
    placement: Placement,
    form: forms.Form,
    *,
    title: str,
    button: str,
    done: str,
    save: Callable[..., object],
    lead: str = "",
) -> HttpResponse:
    """A form page whose valid POST makes one service call and goes back to the outcomes page."""
    if request.method == "POST" and form.is_valid():
        try:
            save(
                actor=request.user,
                at=timezone.now(),
                placement=placement,
                data=form.cleaned_data,
                channel=Channel.WEB,
                where=request.path,
            )
        except services.OutcomeInvalid as error:
            add_service_errors(form, error)
        except RecordChangedElsewhere as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done)
            return redirect("outcomes:placement", placement_id=placement.pk)
    return TemplateResponse(
        request,
        "outcomes/form.html",
        {
            "placement": placement,
            "form": form,
            "title": title,
            "button": button,
            "lead": lead,
        },
    )


@login_required
def placement_outcomes(request: AuthenticatedHttpRequest, placement_id: int) -> HttpResponse:
    placement = _load(request, placement_id)
    today = timezone.localdate()
    return TemplateResponse(
        request,
        "outcomes/placement.html",
        {
            "placement": placement,
            "outcomes": placement_selectors.get_placement_outcomes(
                placement=placement, today=today
            ),
            "can_record": permissions.can_record_outcomes(request.user, placement)
            and placement.status != PlacementStatus.CANCELLED,
            "can_see_follow_ups": permissions.can_see_follow_ups(request.user),
        },
    )


@login_required
def attainment_new(request: AuthenticatedHttpRequest, placement_id: int) -> HttpResponse:
    placement = _load_for_recording(request, placement_id)
    form = AttainmentForm(request.POST or None, reviews=_reviews(request, placement))
    return _record(
        request,
        placement,
        form,
        title="Record an English or maths grade",
        button="Save the grade",
        done="The grade has been recorded",
        save=services.record_attainment,
    )


@login_required
def qualification_new(request: AuthenticatedHttpRequest, placement_id: int) -> HttpResponse:
    placement = _load_for_recording(request, placement_id)
    form = QualificationForm(request.POST or None)
    return _record(
        request,
        placement,
        form,
        title="Add a qualification",
        button="Save the qualification",
        done="The qualification has been added",
        save=services.record_qualification,
    )


@login_required
def qualification_result(
    request: AuthenticatedHttpRequest, placement_id: int, qualification_id: int
) -> HttpResponse:
    placement = _load_for_recording(request, placement_id)
    qualification = placement_selectors.get_qualification(
        placement=placement, qualification_id=qualification_id
    )
    if qualification is None:
        raise Http404("No qualification found")
    form = versioned(QualificationResultForm)(
        request.POST or None,
        initial={"status": qualification.status, "version": qualification.version},
    )

    def save(*, placement: Placement, data: dict[str, Any], **kwargs: Any) -> object:
        return services.update_qualification_status(
            qualification=qualification, data=data, expected_version=data["version"], **kwargs
        )

    return _record(
        request,
        placement,
        form,
        title=f"Result: {qualification.title}",
        button="Save the result",
        done="The result has been recorded",
        save=save,
    )


@login_required
def wellbeing_new(request: AuthenticatedHttpRequest, placement_id: int) -> HttpResponse:
    placement = _load_for_recording(request, placement_id)
    form = WellbeingForm(request.POST or None, reviews=_reviews(request, placement))
    return _record(
        request,
        placement,
        form,
        title="Record a wellbeing score",
        button="Save the score",
        done="The wellbeing score has been recorded",
        save=services.record_wellbeing,
    )


@login_required
def prior_attendance(request: AuthenticatedHttpRequest, placement_id: int) -> HttpResponse:
    placement = _load_for_recording(request, placement_id)
    existing = getattr(placement, "prior_attendance", None)
    initial = {}
    if existing is not None:
        initial = {name: getattr(existing, name) for name in PriorAttendanceForm.base_fields}
    form = PriorAttendanceForm(request.POST or None, initial=initial)
    return _record(
        request,
        placement,
        form,
        title="Attendance before the placement",
        button="Save attendance",
        done="Attendance before the placement has been saved",
        save=services.record_prior_attendance,
        lead="The child's attendance at school over a period before the placement started, "
        "to compare with their attendance in AP.",
    )


# --- outreach ----------------------------------------------------------------------------------


def _outreach_la(request: AuthenticatedHttpRequest) -> LocalAuthority:
    la_id = permissions.outreach_la_id(request.user)
    if la_id is None:
        raise PermissionDenied
    return LocalAuthority.objects.get(pk=la_id)


@login_required
def outreach_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    la = _outreach_la(request)
    today = timezone.localdate()
    year_start = (
        today.replace(month=9, day=1)
        if today.month >= 9
        else today.replace(year=today.year - 1, month=9, day=1)
    )
    page = Paginator(selectors.list_outreach(la_id=la.pk), 25).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "outcomes/outreach_list.html",
        {
            "la": la,
            "page": page,
            "pagination": pagination_params(page, request.GET),
            "summary": selectors.outreach_summary(la=la, start=year_start, end=today),
            "year_start": year_start,
            "today": today,
        },
    )


@login_required
def outreach_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    la = _outreach_la(request)
    form = OutreachForm(
        request.POST or None,
        schools=placement_selectors.list_schools(la_id=la.pk),
        providers=placement_selectors.list_providers(la_id=la.pk),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_outreach(
                actor=request.user,
                at=timezone.now(),
                la=la,
                data=form.cleaned_data,
                channel=Channel.WEB,
                where=request.path,
            )
        except services.OutcomeInvalid as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The outreach support has been recorded")
            return redirect("outcomes:outreach")
    return TemplateResponse(request, "outcomes/outreach_form.html", {"la": la, "form": form})
