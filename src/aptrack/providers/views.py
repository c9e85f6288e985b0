"""Provider register pages: load, authorise, one service call, render. Who may change which part
of a provider is `permissions`' rule: pages link only to what the user may change, forms offer
only the fields the user may change, and anything else is 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from aptrack.accounts.requests import AuthenticatedHttpRequest
from aptrack.core.concurrency import versioned
from aptrack.core.errors import add_service_errors
from aptrack.core.govuk.pagination import pagination_params
from aptrack.organisations.models import LocalAuthority
from aptrack.providers import permissions, selectors, services
from aptrack.providers.forms import (
    ApprovalForm,
    ProviderForm,
    ProviderSearchForm,
    RelationshipForm,
    SiteForm,
    initial_from_provider,
)
from aptrack.providers.models import Provider
from aptrack.providers.states import ApprovalStatus


def _user_la_id(request: AuthenticatedHttpRequest) -> int | None:
    return permissions.user_la_id(request.user)


def _user_la(request: AuthenticatedHttpRequest) -> LocalAuthority:
    """The LA of a user who may change a provider's standing with it (an LA role)."""
    organisation = request.user.organisation
    if organisation is None or organisation.local_authority is None:
        raise PermissionDenied
    return organisation.local_authority


def _load(request: AuthenticatedHttpRequest, provider_id: int) -> Provider:
    if not permissions.can_view_register(request.user):
        raise PermissionDenied
    provider = selectors.get_provider(provider_id=provider_id)
    if provider is None:
        raise Http404("No provider found")
    return provider


@login_required
def provider_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_view_register(request.user):
        raise PermissionDenied
    form = ProviderSearchForm(request.GET or None)
    filters = selectors.ProviderFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.ProviderFilters(
            query=data["q"].strip(),
            registered={"yes": True, "no": False}.get(data["registered"]),
            kind=data["kind"],
            approval_status=data["approval_status"],
            tier=data["tier"],
            area_la_id=int(data["area"]) if data["area"] else None,
        )
    la_id = _user_la_id(request)
    providers = selectors.list_providers(filters=filters, la_id=la_id, on=timezone.localdate())
    page = Paginator(providers, 25).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "providers/list.html",
        {
            "search_form": form,
            "page": page,
            "pagination": pagination_params(page, request.GET),
            "la_id": la_id,
            "statuses": dict(ApprovalStatus.choices),
            "can_add": permissions.can_add_provider(request.user),
        },
    )


@login_required
def provider_detail(request: AuthenticatedHttpRequest, provider_id: int) -> HttpResponse:
    provider = _load(request, provider_id)
    today = timezone.localdate()
    la_id = _user_la_id(request)
    sites = list(provider.sites.select_related("local_authority").order_by("name"))
    return TemplateResponse(
        request,
        "providers/detail.html",
        {
            "provider": provider,
            "sites": sites,
            "la_id": la_id,
            "approval": selectors.get_approval(provider=provider, la_id=la_id),
            "approval_history": selectors.list_approval_history(provider=provider, la_id=la_id),
            "occupancy": selectors.count_occupancy(provider=provider, on=today),
            "children": selectors.list_children_placed(
                user=request.user, provider=provider, on=today
            ),
            "can_change_details": bool(
                permissions.changeable_provider_fields(request.user, provider)
            ),
            "can_add_site": permissions.can_add_site(request.user, provider),
            "can_decide": permissions.can_change_standing(request.user),
            "can_change_relationship": permissions.can_change_relationship(request.user),
        },
    )


@login_required
def provider_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_add_provider(request.user):
        raise PermissionDenied
    form = ProviderForm(request.POST or None, initial={"home_la": str(_user_la_id(request) or "")})
    if request.method == "POST" and form.is_valid():
        try:
            provider = services.create_provider(
                actor=request.user, at=timezone.now(), data=form.cleaned_data, where=request.path
            )
        except services.ProviderInvalid as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{provider.name} has been added to the register")
            return redirect("providers:detail", provider_id=provider.pk)
    return TemplateResponse(
        request, "providers/form.html", {"form": form, "title": "Add a provider"}
    )


@login_required
def provider_edit(request: AuthenticatedHttpRequest, provider_id: int) -> HttpResponse:
    provider = _load(request, provider_id)
    only = permissions.changeable_provider_fields(request.user, provider)
    if not only:
        raise PermissionDenied
    form = versioned(ProviderForm)(
        request.POST or None,
        initial={**initial_from_provider(provider), "version": provider.version},
        only={*only, "version"},
    )
    if request.method == "POST" and form.is_valid():
        data = {key: value for key, value in form.cleaned_data.items() if key != "version"}
        try:
            services.update_provider(
                actor=request.user,
                at=timezone.now(),
                provider=provider,
                data=data,
                expected_version=form.cleaned_data["version"],
                where=request.path,
            )
        except services.ProviderInvalid as error:
            add_service_errors(form, error)
        except (services.ProviderChangedElsewhere, services.ProviderChangeNotAllowed) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The provider's details have been updated")
            return redirect("providers:detail", provider_id=provider.pk)
    return TemplateResponse(
        request,
        "providers/form.html",
        {
            "form": form,
            "title": f"Change {provider.name}",
            "provider": provider,
        },
    )


@login_required
def site_new(request: AuthenticatedHttpRequest, provider_id: int) -> HttpResponse:
    provider = _load(request, provider_id)
    if not permissions.can_add_site(request.user, provider):
        raise PermissionDenied
    form = SiteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_site(
            actor=request.user,
            at=timezone.now(),
            provider=provider,
            data=form.cleaned_data,
            where=request.path,
        )
        messages.success(request, "The site has been added")
        return redirect("providers:detail", provider_id=provider.pk)
    return TemplateResponse(
        request,
        "providers/form.html",
        {
            "form": form,
            "title": f"Add a site for {provider.name}",
            "provider": provider,
        },
    )


@login_required
def approval_change(request: AuthenticatedHttpRequest, provider_id: int) -> HttpResponse:
    provider = _load(request, provider_id)
    if not permissions.can_change_standing(request.user):
        raise PermissionDenied
    form = ApprovalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.change_approval(
                actor=request.user,
                at=timezone.now(),
                provider=provider,
                local_authority=_user_la(request),
                target=ApprovalStatus(data["status"]),
                effective_date=data["effective_date"],
                reason=data["reason"],
                review_date=data["review_date"],
                where=request.path,
            )
        except services.ApprovalMoveNotAllowed as error:
            form.add_error("status", str(error))
        except services.ProviderInvalid as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The provider's standing has been changed")
            return redirect("providers:detail", provider_id=provider.pk)
    return TemplateResponse(
        request,
        "providers/form.html",
        {
            "form": form,
            "title": f"Change {provider.name}'s standing",
            "provider": provider,
        },
    )


@login_required
def relationship_edit(request: AuthenticatedHttpRequest, provider_id: int) -> HttpResponse:
    """The user's own LA's notes and agreed rates for the provider; never another LA's."""
    provider = _load(request, provider_id)
    if not permissions.can_change_relationship(request.user):
        raise PermissionDenied
    approval = selectors.get_approval(provider=provider, la_id=_user_la_id(request))
    initial = (
        {
            "notes": approval.notes,
            "agreed_daily_rate": approval.agreed_daily_rate,
            "agreed_hourly_rate": approval.agreed_hourly_rate,
        }
        if approval
        else {}
    )
    form = RelationshipForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.update_relationship(
            actor=request.user,
            at=timezone.now(),
            provider=provider,
            local_authority=_user_la(request),
            data=form.cleaned_data,
            where=request.path,
        )
        messages.success(request, "Your local authority's notes and rates have been updated")
        return redirect("providers:detail", provider_id=provider.pk)
    return TemplateResponse(
        request,
        "providers/form.html",
        {
            "form": form,
            "title": f"Your notes and rates for {provider.name}",
            "provider": provider,
        },
    )
