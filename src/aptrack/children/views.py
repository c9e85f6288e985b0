"""Children register pages: load through the scoped selectors, one service call, render."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from aptrack.accounts.requests import AuthenticatedHttpRequest
from aptrack.audit import display as audit_display
from aptrack.audit import reads, trail_export
from aptrack.audit import services as audit
from aptrack.audit.models import Channel
from aptrack.children import permissions, selectors, services
from aptrack.children.forms import ChildForm, ChildSearchForm, NewChildForm, initial_from_child
from aptrack.children.models import Child
from aptrack.core.concurrency import versioned
from aptrack.core.errors import add_service_errors
from aptrack.core.govuk.pagination import pagination_params

# The service's names for the form's fields, where they differ (`ChildForm.to_service_data`).
_FORM_FIELDS = {"home_school": "home_school_urn"}


def _load_child(request: AuthenticatedHttpRequest, child_id: int) -> Child:
    child = selectors.get_child(user=request.user, child_id=child_id)
    if child is None:
        # Out of scope looks the same as missing: no hint that the child exists elsewhere.
        raise Http404("No child found")
    audit.record_view(
        actor=request.user, at=timezone.now(), channel=Channel.WEB, child=child, where=request.path
    )
    return child


@login_required
def child_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ChildSearchForm(request.GET or None)
    filters = selectors.ChildFilters()
    if form.is_valid():
        looked_after = {"yes": True, "no": False}.get(form.cleaned_data["looked_after"])
        filters = selectors.ChildFilters(
            query=form.cleaned_data["q"],
            sen_status=form.cleaned_data["sen_status"],
            looked_after=looked_after,
            year_group=form.cleaned_data["year_group"],
        )
    today = timezone.localdate()
    children = selectors.list_children(user=request.user, filters=filters, on=today)
    page = Paginator(children, 25).get_page(request.GET.get("page"))
    reads.record_reads(request, children=page.object_list, search_term=filters.query)
    pagination = pagination_params(page, request.GET)
    return TemplateResponse(
        request,
        "children/list.html",
        {
            "search_form": form,
            "page": page,
            "today": today,
            "pagination": pagination,
            "can_register": permissions.can_register_child(request.user),
        },
    )


@login_required
def child_detail(request: AuthenticatedHttpRequest, child_id: int) -> HttpResponse:
    child = _load_child(request, child_id)
    today = timezone.localdate()
    trail = (
        Paginator(selectors.list_audit_trail(child=child), 25).get_page(request.GET.get("page"))
        if permissions.can_see_audit_trail(request.user, child)
        else None
    )
    if trail is not None:
        trail.object_list = list(
            trail.object_list
        )  # read once: the lines below and the rows share it
    return TemplateResponse(
        request,
        "children/detail.html",
        {
            "child": child,
            "today": today,
            "placements": child.placements.select_related("provider", "commissioning_la").order_by(
                "-start_date"
            ),
            "can_edit": permissions.can_edit_child(request.user, child),
            "transfer": selectors.get_transfer_history(child=child),
            "trail": trail,
            "trail_pagination": pagination_params(trail, request.GET)
            if trail is not None
            else None,
            "actor_display": audit_display.actor_display,
            "trail_changes": audit_display.trail_change_lines(trail) if trail is not None else {},
        },
    )


@login_required
def child_audit_trail(request: AuthenticatedHttpRequest, child_id: int) -> HttpResponse:
    """The child's audit trail as a CSV file, for those who may see the trail."""
    child = _load_child(request, child_id)
    if not permissions.can_see_audit_trail(request.user, child):
        raise PermissionDenied
    stream = io.StringIO(newline="")
    trail_export.write_child_trail_csv(child_id=child.pk, stream=stream)
    response = HttpResponse(
        stream.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="audit-trail-child-{child.pk}.csv"'
    return response


@login_required
def child_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_register_child(request.user):
        raise PermissionDenied
    organisation = request.user.organisation
    la_id = organisation.local_authority_id if organisation else None
    form = NewChildForm(request.POST or None, initial={"home_la": str(la_id or "")})
    duplicates: list[Child] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        duplicates = list(
            selectors.list_possible_duplicates(
                first_name=data["legal_first_name"],
                last_name=data["legal_last_name"],
                date_of_birth=data["date_of_birth"],
            )
        )
        if duplicates and not data.get("confirm_not_duplicate"):
            form.add_error(
                "confirm_not_duplicate",
                "A child with the same name and date of birth is already on the register. "
                "Check it is not the same child, then confirm",
            )
        else:
            try:
                child = services.register_child(
                    actor=request.user,
                    at=timezone.now(),
                    channel=Channel.WEB,
                    data=form.to_service_data(),
                    where=request.path,
                )
            except services.ChildInvalid as error:
                add_service_errors(form, error, fields=_FORM_FIELDS)
            else:
                messages.success(request, f"{child.full_name} has been added to the register")
                return redirect("children:detail", child_id=child.pk)
    return TemplateResponse(
        request,
        "children/form.html",
        {"form": form, "title": "Add a child", "duplicates": duplicates, "is_new": True},
    )


@login_required
def child_edit(request: AuthenticatedHttpRequest, child_id: int) -> HttpResponse:
    child = _load_child(request, child_id)
    if not permissions.can_edit_child(request.user, child):
        raise PermissionDenied
    form = versioned(ChildForm)(
        request.POST or None, initial={**initial_from_child(child), "version": child.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_child(
                actor=request.user,
                at=timezone.now(),
                channel=Channel.WEB,
                child=child,
                data=form.to_service_data(),
                expected_version=form.cleaned_data["version"],
                where=request.path,
            )
        except services.ChildInvalid as error:
            add_service_errors(form, error, fields=_FORM_FIELDS)
        except services.ChildChangedElsewhere as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The child's record has been updated")
            return redirect("children:detail", child_id=child.pk)
    return TemplateResponse(
        request,
        "children/form.html",
        {"form": form, "title": f"Change {child.full_name}'s record", "child": child},
    )
