"""Placement pages: load through the scoped selectors, authorise, one service call, render.

Outside the user's scope a placement or child is missing (404); a role that may not do a thing
is refused (403)."""

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
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
from aptrack.audit import services as audit
from aptrack.audit.models import Channel
from aptrack.children import selectors as children_selectors
from aptrack.core.concurrency import VersionMissing, posted_version, versioned
from aptrack.core.errors import add_service_errors
from aptrack.panels import selectors as panel_selectors
from aptrack.placements import agreement, permissions, selectors
from aptrack.placements.forms import (
    CancelForm,
    EndForm,
    FollowUpForm,
    OutcomeForm,
    PassportForm,
    PlacementFilterForm,
    PlacementForm,
    ReviewForm,
    initial_from_outcome,
    initial_from_placement,
)
from aptrack.placements.models import Placement, ReviewDecision
from aptrack.placements.services import endings as placement_endings
from aptrack.placements.services import errors as placement_errors
from aptrack.placements.services import follow_ups as placement_follow_ups
from aptrack.placements.services import moves as placement_moves
from aptrack.placements.services import outcomes as placement_outcomes
from aptrack.placements.services import passport as placement_passport
from aptrack.placements.services import plan as placement_plan
from aptrack.placements.services import reviews as placement_reviews
from aptrack.placements.states import EventKind
from aptrack.referrals import selectors as referral_selectors

# The service's names for the forms' fields, where they differ.
_FORM_FIELDS = {"provider": "site", "commissioning_school": "commissioning_school_urn"}


F = TypeVar("F", bound=forms.BaseForm)


def _edit_form(
    form_class: type[F],
    request: AuthenticatedHttpRequest,
    placement: Placement,
    *,
    initial: dict[str, Any] | None = None,
    **kwargs: Any,
) -> F:
    """A form that changes the placement, carrying the version it was loaded at."""
    return versioned(form_class)(
        request.POST or None, initial={**(initial or {}), "version": placement.version}, **kwargs
    )


def _load(request: AuthenticatedHttpRequest, placement_id: int) -> Placement:
    if not permissions.can_view_placements(request.user):
        raise PermissionDenied
    placement = selectors.get_placement(user=request.user, placement_id=placement_id)
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


def _load_for_change(request: AuthenticatedHttpRequest, placement_id: int) -> Placement:
    placement = _load(request, placement_id)
    if not permissions.can_change_placement(request.user, placement):
        raise PermissionDenied
    return placement


def _saved(
    request: AuthenticatedHttpRequest, form: forms.BaseForm, call: Callable[[], object], done: str
) -> bool:
    """Runs a valid form's service call: True when it succeeded (with `done` as the success
    message); else the service's refusal is put on the form (field errors where it names a
    field, otherwise at the top) and the page is shown again."""
    try:
        call()
    except placement_errors.PlacementInvalid as error:
        add_service_errors(form, error, fields=_FORM_FIELDS)
    except (
        placement_errors.PlacementChangedElsewhere,
        placement_errors.PlacementMoveNotAllowed,
    ) as error:
        form.add_error(None, str(error))
    else:
        messages.success(request, done)
        return True
    return False


def _form_page(request: AuthenticatedHttpRequest, template: str, **context: Any) -> HttpResponse:
    return TemplateResponse(request, f"placements/{template}", context)


# --- lists -----------------------------------------------------------------------------------


@login_required
def placement_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_view_placements(request.user):
        raise PermissionDenied
    form = PlacementFilterForm(
        request.GET or None, providers=selectors.list_providers_in_scope(user=request.user)
    )
    filters = selectors.PlacementFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.PlacementFilters(
            status=data["status"],
            tier=data["tier"],
            provider_id=data["provider"],
            drift="drift" in data["flags"],
            overdue="overdue" in data["flags"],
        )
    today = timezone.localdate()
    placements = selectors.list_placements(user=request.user, filters=filters, on=today)
    page = Paginator(placements, 25).get_page(request.GET.get("page"))
    reads.record_reads(request, children=[placement.child_id for placement in page.object_list])
    query = request.GET.copy()
    query.pop("page", None)
    base = "?" + (query.urlencode() + "&" if query else "") + "page="
    return TemplateResponse(
        request,
        "placements/list.html",
        {
            "search_form": form,
            "page": page,
            "base": base,
            "today": today,
            "is_caseworker": permissions.can_use_caseworker_home(request.user),
        },
    )


@login_required
def caseworker_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_use_caseworker_home(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    home = selectors.caseworker_home(user=request.user, on=today)
    reads.record_reads(request, children=home.child_ids())
    return TemplateResponse(request, "placements/home.html", {"home": home, "today": today})


@login_required
def child_timeline(request: AuthenticatedHttpRequest, child_id: int) -> HttpResponse:
    if not permissions.can_view_timeline(request.user):
        raise PermissionDenied
    child = children_selectors.get_child(user=request.user, child_id=child_id)
    if child is None:
        raise Http404("No child found")
    audit.record_view(
        actor=request.user, at=timezone.now(), channel=Channel.WEB, child=child, where=request.path
    )
    entries = selectors.child_timeline(user=request.user, child=child)
    return TemplateResponse(
        request, "placements/timeline.html", {"child": child, "entries": entries}
    )


# --- the plan --------------------------------------------------------------------------------


@login_required
def placement_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_create_placement(request.user):
        raise PermissionDenied
    referral = child = None
    try:
        if request.GET.get("referral"):
            referral = referral_selectors.get_referral_to_commission(
                user=request.user, referral_id=int(request.GET["referral"])
            )
            child = referral.child if referral else None
        elif request.GET.get("child"):
            child = children_selectors.get_child(
                user=request.user, child_id=int(request.GET["child"])
            )
            # From the child's record: start from their approved referral when there is one.
            referral = (
                selectors.get_referral_to_place(user=request.user, child=child) if child else None
            )
    except ValueError:
        child = None
    if child is None:
        raise Http404("No child or referral found")
    organisation = request.user.organisation
    if organisation is None:  # never: a planner's role needs an organisation (accounts.User)
        raise PermissionDenied
    la_id = organisation.local_authority_id
    if la_id is None and organisation.establishment is not None:
        la_id = organisation.establishment.local_authority_id
    sites = selectors.list_site_choices(la_id=la_id)
    approval = (
        panel_selectors.get_approval(referral_id=referral.pk) if referral is not None else None
    )
    initial = _initial_from_approval(referral, approval, sites)
    form = PlacementForm(
        request.POST or None,
        initial=initial,
        sites=sites,
        ask_for_school=referral is None and permissions.can_use_caseworker_home(request.user),
        approved_cost=approval.proposed_weekly_cost if approval else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.to_service_data()
        data.update(child=child, referral=referral)
        try:
            placement = placement_plan.create_placement(
                actor=request.user,
                at=timezone.now(),
                data=data,
                channel=Channel.WEB,
                where=request.path,
            )
        except placement_errors.PlacementInvalid as error:
            add_service_errors(form, error, fields=_FORM_FIELDS)
        else:
            messages.success(
                request, "The placement has been planned. Now add its intended outcomes"
            )
            return redirect("placements:detail", placement_id=placement.pk)
    reads.record_reads(request, children=[child])
    return _form_page(
        request,
        "form.html",
        form=form,
        child=child,
        referral=referral,
        approval=approval,
        title=f"Plan a placement for {child.known_as}",
    )


def _initial_from_approval(referral: Any, approval: Any, sites: list[Any]) -> dict[str, Any]:
    """The plan starts from the panel's decision: its tier, its provider (the provider's site
    when it has one open site) and its weekly cost."""
    if referral is None:
        return {"tier": 1}
    if approval is None:
        return {"tier": referral.proposed_tier}
    initial: dict[str, Any] = {
        "tier": approval.approved_tier,
        "weekly_cost": approval.proposed_weekly_cost,
    }
    if approval.proposed_provider_id:
        own = [
            site
            for site in sites
            if site.provider_id == approval.proposed_provider_id and site.is_active
        ]
        if own:
            initial["site"] = str(own[0].pk)
    return initial


@login_required
def placement_detail(request: AuthenticatedHttpRequest, placement_id: int) -> HttpResponse:
    placement = _load(request, placement_id)
    today = timezone.localdate()
    return TemplateResponse(
        request,
        "placements/detail.html",
        {
            "plan": selectors.get_plan(placement=placement, on=today),
            "placement": placement,
            "today": today,
            "can_change": permissions.can_change_placement(request.user, placement),
            "can_download_agreement": permissions.can_download_agreement(request.user, placement),
            "can_see_reviews": permissions.can_see_reviews(request.user),
            "can_see_timeline": permissions.can_view_timeline(request.user),
            "event_labels": dict(EventKind.choices),
        },
    )


@login_required
def agreement_download(request: AuthenticatedHttpRequest, placement_id: int) -> HttpResponse:
    """The individual service agreement as a PDF (loading the placement records the read)."""
    placement = _load(request, placement_id)
    if not permissions.can_download_agreement(request.user, placement):
        raise PermissionDenied
    snapshot, kept = agreement.get_agreement_snapshot(placement=placement, on=timezone.localdate())
    pdf = agreement.render_agreement_pdf(
        snapshot, kept=kept, base_url=request.build_absolute_uri("/")
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="service-agreement-{placement.pk}.pdf"'
    return response


@login_required
def placement_edit(request: AuthenticatedHttpRequest, placement_id: int) -> HttpResponse:
    placement = _load_for_change(request, placement_id)
    provider = getattr(placement.provider, "provider", None)
    form = _edit_form(
        PlacementForm,
        request,
        placement,
        initial=initial_from_placement(placement),
        editing=True,
        sites=selectors.list_provider_sites(placement=placement),
        priced_by_rate=bool(
            provider and (provider.hourly_rate is not None or provider.daily_rate is not None)
        ),
        approved_cost=selectors.approved_weekly_cost(placement.referral)
        if placement.referral_id
        else None,
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _saved(
            request,
            form,
            lambda: placement_plan.update_plan(
                actor=request.user,
                at=timezone.now(),
                placement=placement,
                data=form.to_service_data(),
                expected_version=form.cleaned_data["version"],
                channel=Channel.WEB,
                where=request.path,
            ),
            "The plan has been updated",
        )
    ):
        return redirect("placements:detail", placement_id=placement.pk)
    return _form_page(
        request,
        "form.html",
        form=form,
        child=placement.child,
        placement=placement,
        title="Change the plan",
    )


@login_required
@require_POST
def placement_activate(request: AuthenticatedHttpRequest, placement_id: int) -> HttpResponse:
    placement = _load_for_change(request, placement_id)
    try:
        placement_moves.activate_placement(
            actor=request.user,
            at=timezone.now(),
            placement=placement,
            expected_version=posted_version(request.POST),
            channel=Channel.WEB,
            where=request.path,
        )
    except placement_errors.PlacementInvalid as error:
        messages.error(request, " ".join(" ".join(v) for v in error.errors.values()))
    except (
        placement_errors.PlacementChangedElsewhere,
        placement_errors.PlacementMoveNotAllowed,
        VersionMissing,
    ) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The placement has started")
    return redirect("placements:detail", placement_id=placement.pk)


@login_required
def placement_cancel(request: AuthenticatedHttpRequest, placement_id: int) -> HttpResponse:
    placement = _load_for_change(request, placement_id)
    form = _edit_form(CancelForm, request, placement)
    if (
        request.method == "POST"
        and form.is_valid()
        and _saved(
            request,
            form,
            lambda: placement_moves.cancel_placement(
                actor=request.user,
                at=timezone.now(),
                placement=placement,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
                channel=Channel.WEB,
                where=request.path,
            ),
            "The placement has been cancelled",
        )
    ):
        return redirect("placements:detail", placement_id=placement.pk)
    return _form_page(
        request,
        "simple_form.html",
        form=form,
        placement=placement,
        title="Cancel the placement",
        button="Cancel the placement",
        warning=True,
    )


# --- outcomes and passport -------------------------------------------------------------------


@login_required
def outcome_new(request: AuthenticatedHttpRequest, placement_id: int) -> HttpResponse:
    placement = _load_for_change(request, placement_id)
    form = OutcomeForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _saved(
            request,
            form,
            lambda: placement_outcomes.add_outcome(
                actor=request.user,
                at=timezone.now(),
                placement=placement,
                data=form.cleaned_data,
                channel=Channel.WEB,
                where=request.path,
            ),
            "The intended outcome has been added",
        )
    ):
        return redirect("placements:detail", placement_id=placement.pk)
    return _form_page(
        request,
        "simple_form.html",
        form=form,
        placement=placement,
        title="Add an intended outcome",
        button="Add outcome",
    )


@login_required
def outcome_edit(
    request: AuthenticatedHttpRequest, placement_id: int, outcome_id: int
) -> HttpResponse:
    placement = _load_for_change(request, placement_id)
    outcome = selectors.get_outcome(placement=placement, outcome_id=outcome_id)
    if outcome is None:
        raise Http404("No outcome found")
    form = _edit_form(OutcomeForm, request, placement, initial=initial_from_outcome(outcome))
    if (
        request.method == "POST"
        and form.is_valid()
        and _saved(
            request,
            form,
            lambda: placement_outcomes.change_outcome(
                actor=request.user,
                at=timezone.now(),
                outcome=outcome,
                data=form.cleaned_data,
                expected_version=form.cleaned_data["version"],
                channel=Channel.WEB,
                where=request.path,
            ),
            "The intended outcome has been changed",
        )
    ):
        return redirect("placements:detail", placement_id=placement.pk)
    return _form_page(
        request,
        "simple_form.html",
        form=form,
        placement=placement,
        title="Change an intended outcome",
        button="Save",
    )


@login_required
def passport_edit(request: AuthenticatedHttpRequest, placement_id: int) -> HttpResponse:
    placement = _load_for_change(request, placement_id)
    passport = getattr(placement, "passport", None)
    initial = (
        {key: getattr(passport, key) for key in placement_passport.PASSPORT_FIELDS}
        if passport
        else {}
    )
    form = _edit_form(PassportForm, request, placement, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and _saved(
            request,
            form,
            lambda: placement_passport.update_passport(
                actor=request.user,
                at=timezone.now(),
                placement=placement,
                data=form.cleaned_data,
                expected_version=form.cleaned_data["version"],
                channel=Channel.WEB,
                where=request.path,
            ),
            "The Person Passport has been saved",
        )
    ):
        return redirect("placements:detail", placement_id=placement.pk)
    return _form_page(
        request,
        "simple_form.html",
        form=form,
        placement=placement,
        title="Person Passport",
        button="Save",
        lead="A one-page profile the provider can see: keep it short and in plain words.",
    )


# --- reviews, ending, follow-up --------------------------------------------------------------


@login_required
def review_new(request: AuthenticatedHttpRequest, placement_id: int) -> HttpResponse:
    placement = _load_for_change(request, placement_id)
    outcomes = list(placement.outcomes.order_by("position", "pk"))
    form = ReviewForm(request.POST or None, outcomes=outcomes)
    if request.method == "POST" and form.is_valid():
        try:
            review = placement_reviews.record_review(
                actor=request.user,
                at=timezone.now(),
                placement=placement,
                data=form.to_service_data(),
                channel=Channel.WEB,
                where=request.path,
            )
        except placement_errors.PlacementInvalid as error:
            add_service_errors(form, error, fields=_FORM_FIELDS)
        else:
            if review.decision == ReviewDecision.END:
                messages.success(
                    request, "The review has been recorded. Now record how the placement ended"
                )
                return redirect("placements:end", placement_id=placement.pk)
            messages.success(request, "The review has been recorded")
            return redirect("placements:detail", placement_id=placement.pk)
    return _form_page(
        request,
        "review_form.html",
        form=form,
        placement=placement,
        outcomes=outcomes,
        title="Record a review",
    )


@login_required
def placement_end(request: AuthenticatedHttpRequest, placement_id: int) -> HttpResponse:
    placement = _load_for_change(request, placement_id)
    form = _edit_form(EndForm, request, placement, initial={"transition_plan": placement.exit_plan})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _saved(
            request,
            form,
            lambda: placement_endings.end_placement(
                actor=request.user,
                at=timezone.now(),
                placement=placement,
                end_date=data["end_date"],
                reason=data["reason"],
                destination=data["destination"],
                transition_plan=data["transition_plan"],
                expected_version=form.cleaned_data["version"],
                channel=Channel.WEB,
                where=request.path,
            ),
            "The placement has ended. Follow-up checks are booked for 6 and 12 weeks",
        ):
            return redirect("placements:detail", placement_id=placement.pk)
    return _form_page(
        request,
        "simple_form.html",
        form=form,
        placement=placement,
        title="End the placement",
        button="End the placement",
    )


@login_required
def follow_up_record(
    request: AuthenticatedHttpRequest, placement_id: int, follow_up_id: int
) -> HttpResponse:
    placement = _load_for_change(request, placement_id)
    follow_up = selectors.get_follow_up(placement=placement, follow_up_id=follow_up_id)
    if follow_up is None:
        raise Http404("No follow-up found")
    form = FollowUpForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _saved(
            request,
            form,
            lambda: placement_follow_ups.record_follow_up(
                actor=request.user,
                at=timezone.now(),
                follow_up=follow_up,
                data=form.cleaned_data,
                channel=Channel.WEB,
                where=request.path,
            ),
            f"The {follow_up.weeks_after}-week follow-up has been recorded",
        )
    ):
        return redirect("placements:detail", placement_id=placement.pk)
    return _form_page(
        request,
        "simple_form.html",
        form=form,
        placement=placement,
        title=f"{follow_up.weeks_after}-week follow-up",
        button="Save",
        lead=f"Due {follow_up.due_date.day} {follow_up.due_date:%B %Y}. "
        "Is the child still attending, and has their destination been sustained?",
    )
