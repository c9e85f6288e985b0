"""Referral pages: load through the scoped selectors, authorise, one service call, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from aptrack.accounts.requests import AuthenticatedHttpRequest
from aptrack.audit import reads
from aptrack.audit import services as audit
from aptrack.audit.models import Channel
from aptrack.children import selectors as child_selectors
from aptrack.core import navigation
from aptrack.core.concurrency import versioned
from aptrack.core.errors import add_service_errors
from aptrack.core.govuk.pagination import pagination_params
from aptrack.referrals import permissions, selectors, services
from aptrack.referrals.forms import (
    ChildSearchForm,
    ConfirmForm,
    ReasonForm,
    ReferralForm,
    ReferralSearchForm,
    initial_from_referral,
)
from aptrack.referrals.models import Referral
from aptrack.referrals.states import ReferralStatus


def _load(request: AuthenticatedHttpRequest, referral_id: int) -> Referral:
    if not permissions.can_use_referrals(request.user):
        raise PermissionDenied
    referral = selectors.get_referral(user=request.user, referral_id=referral_id)
    if referral is None:
        # Out of scope looks the same as missing: no hint that the referral exists elsewhere.
        raise Http404("No referral found")
    audit.record_view(
        actor=request.user,
        at=timezone.now(),
        channel=Channel.WEB,
        child=referral.child,
        where=request.path,
    )
    return referral


@login_required
def referral_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_use_referrals(request.user):
        raise PermissionDenied
    form = ReferralSearchForm(request.GET or None)
    filters = selectors.ReferralFilters()
    if form.is_valid():
        filters = selectors.ReferralFilters(
            statuses=tuple(form.cleaned_data["status"]),
            route=form.cleaned_data["route"],
            query=form.cleaned_data["q"],
        )
    referrals = selectors.list_visible_referrals(user=request.user, filters=filters)
    page = Paginator(referrals, 25).get_page(request.GET.get("page"))
    reads.record_reads(
        request,
        children=[referral.child_id for referral in page.object_list],
        search_term=filters.query,
    )
    pagination = pagination_params(page, request.GET)
    return TemplateResponse(
        request,
        "referrals/list.html",
        {
            "search_form": form,
            "page": page,
            "pagination": pagination,
            "can_start": permissions.can_start_referrals(request.user),
            "can_see_sixth_day": permissions.can_see_sixth_day_list(request.user),
        },
    )


@login_required
def referral_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_start_referrals(request.user):
        raise PermissionDenied
    child_id = request.GET.get("child", "")
    if not child_id.isdigit():
        return _choose_child(request)
    child = child_selectors.get_child(user=request.user, child_id=int(child_id))
    if child is None:
        raise Http404("No child found")
    form = ReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.create_referral(
                actor=request.user,
                at=timezone.now(),
                channel=Channel.WEB,
                child=child,
                data=form.cleaned_data,
                where=request.path,
            )
        except services.ReferralInvalid as error:
            add_service_errors(form, error)
        except services.ReferralNotAllowed as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The referral has been saved as a draft")
            return redirect("referrals:detail", referral_id=referral.pk)
    reads.record_reads(request, children=[child])
    return TemplateResponse(
        request,
        "referrals/form.html",
        {
            "form": form,
            "title": f"Refer {child.known_as}",
            "child": child,
        },
    )


def _choose_child(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A referral starts from a child: find them in the children you can see."""
    search = ChildSearchForm(request.GET if "q" in request.GET else None)
    children = None
    if search.is_valid():
        filters = child_selectors.ChildFilters(query=search.cleaned_data["q"])
        children = list(
            child_selectors.list_children(
                user=request.user, filters=filters, on=timezone.localdate()
            )[:25]
        )
        reads.record_reads(request, children=children, search_term=filters.query)
    return TemplateResponse(
        request,
        "referrals/choose_child.html",
        {
            "form": search,
            "children": children,
            "today": timezone.localdate(),
        },
    )


@login_required
def referral_detail(request: AuthenticatedHttpRequest, referral_id: int) -> HttpResponse:
    referral = _load(request, referral_id)
    user = request.user
    return TemplateResponse(
        request,
        "referrals/detail.html",
        {
            "referral": referral,
            "child": referral.child,
            "today": timezone.localdate(),
            "events": selectors.list_events(referral=referral),
            "agenda_history": selectors.list_agenda_history(referral=referral),
            "duties": selectors.get_referral_duties(referral=referral, on=timezone.localdate()),
            "problems": services.submission_problems(referral)
            if referral.status == "DRAFT"
            else {},
            "can_change": permissions.can_change_referral(user, referral),
            "can_submit": permissions.can_submit_referral(user, referral),
            "can_withdraw": permissions.can_withdraw_referral(user, referral),
            "can_see_child": child_selectors.get_child(user=user, child_id=referral.child_id)
            is not None,
            "sixth_day": selectors.get_sixth_day(referral=referral),
            "placements": list(
                referral.placements.exclude(status="CANCELLED").order_by("-start_date")
            )
            if navigation.may_open(user, "placements:list")
            else [],
            "can_plan_placement": navigation.may_open(user, "placements:new")
            and referral.status == ReferralStatus.APPROVED
            and selectors.get_referral_to_commission(user=user, referral_id=referral.pk)
            is not None,
        },
    )


@login_required
def referral_edit(request: AuthenticatedHttpRequest, referral_id: int) -> HttpResponse:
    referral = _load(request, referral_id)
    if not permissions.can_change_referral(request.user, referral):
        raise PermissionDenied
    form = versioned(ReferralForm)(
        request.POST or None,
        initial={**initial_from_referral(referral), "version": referral.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_referral(
                actor=request.user,
                at=timezone.now(),
                channel=Channel.WEB,
                referral=referral,
                data=form.cleaned_data,
                expected_version=form.cleaned_data["version"],
                where=request.path,
            )
        except services.ReferralInvalid as error:
            add_service_errors(form, error)
        except (services.ReferralChangedElsewhere, services.ReferralNotAllowed) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The referral has been updated")
            return redirect("referrals:detail", referral_id=referral.pk)
    return TemplateResponse(
        request,
        "referrals/form.html",
        {
            "form": form,
            "title": f"Change the referral of {referral.child.known_as}",
            "child": referral.child,
            "referral": referral,
        },
    )


@login_required
def referral_submit(request: AuthenticatedHttpRequest, referral_id: int) -> HttpResponse:
    referral = _load(request, referral_id)
    if not permissions.is_commissioner(request.user, referral):
        raise PermissionDenied
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_referral(
                actor=request.user,
                at=timezone.now(),
                channel=Channel.WEB,
                referral=referral,
                where=request.path,
            )
        except services.ReferralNotReady as error:
            for messages_ in error.errors.values():
                for message in messages_:
                    form.add_error(None, message)
        except (services.ReferralMoveNotAllowed, services.ReferralNotAllowed) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The referral has been submitted for a panel")
            return redirect("referrals:detail", referral_id=referral.pk)
    return TemplateResponse(
        request,
        "referrals/submit.html",
        {
            "form": form,
            "referral": referral,
            "child": referral.child,
            "problems": services.submission_problems(referral),
        },
    )


@login_required
def referral_withdraw(request: AuthenticatedHttpRequest, referral_id: int) -> HttpResponse:
    referral = _load(request, referral_id)
    if not permissions.is_commissioner(request.user, referral):
        raise PermissionDenied
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_referral(
                actor=request.user,
                at=timezone.now(),
                channel=Channel.WEB,
                referral=referral,
                reason=form.cleaned_data["reason"],
                where=request.path,
            )
        except services.ReferralInvalid as error:
            add_service_errors(form, error)
        except (services.ReferralMoveNotAllowed, services.ReferralNotAllowed) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The referral has been withdrawn")
            return redirect("referrals:detail", referral_id=referral.pk)
    return TemplateResponse(
        request,
        "referrals/withdraw.html",
        {
            "form": form,
            "referral": referral,
            "child": referral.child,
        },
    )


@login_required
def sixth_day(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_see_sixth_day_list(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    organisation = request.user.organisation
    if organisation is None or organisation.local_authority_id is None:  # never: checked above
        raise PermissionDenied
    rows = selectors.list_sixth_day_at_risk(la_id=organisation.local_authority_id, on=today)
    reads.record_reads(request, children=[row.child for row in rows])
    return TemplateResponse(
        request,
        "referrals/sixth_day.html",
        {
            "today": today,
            "waiting": [row for row in rows if row.provision_started is None],
            "late": [row for row in rows if row.provision_started is not None],
        },
    )
