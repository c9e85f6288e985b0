"""Report and incident pages: load through a selector, authorise, one service call, render.
Every page that shows a child records the read on the child's audit trail."""

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
from aptrack.audit.models import Channel
from aptrack.children import selectors as children_selectors
from aptrack.core.errors import add_service_errors
from aptrack.core.govuk.pagination import pagination_params
from aptrack.placements.models import Placement
from aptrack.reports import permissions, rules, selectors, services
from aptrack.reports.forms import IncidentForm, ReportForm

OVERDUE_PER_PAGE = 50


def _placement(request: AuthenticatedHttpRequest, placement_id: int) -> Placement:
    placement = selectors.get_placement(user=request.user, placement_id=placement_id)
    if placement is None:
        raise Http404("No placement found")
    return placement


@login_required
def placement_reports(request: AuthenticatedHttpRequest, placement_id: int) -> HttpResponse:
    placement = _placement(request, placement_id)
    if not permissions.can_read_reports(request.user, placement):
        raise PermissionDenied
    today = timezone.localdate()
    reads.record_reads(request, children=[placement.child_id])
    return TemplateResponse(
        request,
        "reports/placement.html",
        {
            "placement": placement,
            "due": selectors.list_placement_reports(placement=placement, on=today),
            "today": today,
            "can_write": permissions.can_write_report(request.user, placement),
            "can_record_incident": permissions.can_record_incident(request.user, placement),
        },
    )


@login_required
def report_new(request: AuthenticatedHttpRequest, placement_id: int) -> HttpResponse:
    placement = _placement(request, placement_id)
    if not permissions.can_write_report(request.user, placement):
        raise PermissionDenied
    today = timezone.localdate()
    due = selectors.list_placement_reports(placement=placement, on=today)
    choices = [(d.half_term.start_date.isoformat(), d.half_term.label) for d in due]
    outcomes = list(placement.outcomes.order_by("position", "pk"))
    initial = {"half_term": request.GET.get("half_term") or (choices[0][0] if choices else None)}
    form = ReportForm(request.POST or None, half_terms=choices, outcomes=outcomes, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.submit_report(
                placement=placement,
                data=form.to_data(),
                by=request.user,
                at=timezone.now(),
                channel=Channel.WEB,
                where=request.path,
            )
        except services.ReportInvalid as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Your report for {report.half_term_name} has been sent")
            return redirect("reports:detail", report_id=report.pk)
    reads.record_reads(request, children=[placement.child_id])
    return TemplateResponse(
        request,
        "reports/report_form.html",
        {
            "placement": placement,
            "form": form,
            "outcomes": outcomes,
            "has_half_terms": bool(choices),
        },
    )


@login_required
def report_detail(request: AuthenticatedHttpRequest, report_id: int) -> HttpResponse:
    report = selectors.get_report(user=request.user, report_id=report_id)
    if report is None:
        raise Http404("No report found")
    reads.record_reads(request, children=[report.placement.child_id])
    return TemplateResponse(
        request,
        "reports/detail.html",
        {
            "report": report,
            "placement": report.placement,
            "due_date": rules.due_date(report.period_end),
            "can_write": permissions.can_write_report(request.user, report.placement),
        },
    )


@login_required
def overdue_reports(request: AuthenticatedHttpRequest) -> HttpResponse:
    la_id = permissions.overdue_reports_la_id(request.user)
    if la_id is None:
        raise PermissionDenied
    today = timezone.localdate()
    page = Paginator(rules.list_overdue_reports(la_id=la_id, on=today), OVERDUE_PER_PAGE).get_page(
        request.GET.get("page")
    )
    reads.record_reads(request, children=[d.placement.child_id for d in page.object_list])
    return TemplateResponse(
        request,
        "reports/overdue.html",
        {
            "page": page,
            "pagination": pagination_params(page, request.GET),
            "today": today,
            "due_days": rules.DUE_DAYS,
        },
    )


@login_required
def incident_new(request: AuthenticatedHttpRequest, placement_id: int) -> HttpResponse:
    placement = _placement(request, placement_id)
    if not permissions.can_record_incident(request.user, placement):
        raise PermissionDenied
    form = IncidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            incident = services.record_incident(
                placement=placement,
                data=form.to_data(),
                by=request.user,
                at=timezone.now(),
                channel=Channel.WEB,
                where=request.path,
            )
        except services.ReportInvalid as error:
            add_service_errors(form, error)
        else:
            done = "The incident has been recorded"
            if incident.alert_id:
                done = "The safeguarding concern has been recorded and the LA alerted"
            messages.success(request, done)
            return redirect("reports:incident", incident_id=incident.pk)
    reads.record_reads(request, children=[placement.child_id])
    return TemplateResponse(
        request, "reports/incident_form.html", {"placement": placement, "form": form}
    )


@login_required
def incident_detail(request: AuthenticatedHttpRequest, incident_id: int) -> HttpResponse:
    if not permissions.can_read_incidents(request.user):
        raise PermissionDenied
    incident = selectors.get_incident(user=request.user, incident_id=incident_id)
    if incident is None:
        raise Http404("No incident found")
    reads.record_reads(request, children=[incident.child_id])
    return TemplateResponse(request, "reports/incident.html", {"incident": incident})


@login_required
def child_incidents(request: AuthenticatedHttpRequest, child_id: int) -> HttpResponse:
    """The chronology of a child's incidents and safeguarding concerns, newest first."""
    if not permissions.can_read_incidents(request.user):
        raise PermissionDenied
    child = children_selectors.get_child(user=request.user, child_id=child_id)
    if child is None:
        raise Http404("No child found")
    incidents = list(selectors.list_incidents(user=request.user).filter(child=child))
    reads.record_reads(request, children=[child.pk])
    return TemplateResponse(
        request, "reports/chronology.html", {"child": child, "incidents": incidents}
    )
