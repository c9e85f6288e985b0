"""Attendance pages: the provider's register, file upload, a child's marks, and measures.

Each view: authorise (403), load through a scoped selector (404 when out of scope), at most one
service call, render. Every page works without JavaScript.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from aptrack.accounts.requests import AuthenticatedHttpRequest
from aptrack.attendance import codes, permissions, selectors, services
from aptrack.attendance.forms import RegisterForm, UploadForm, day_and_session, session_codes
from aptrack.attendance.models import MarkChannel
from aptrack.attendance.rules import CSV_HEADINGS, Column, uk_date
from aptrack.attendance.scopes import Grouping, Period, Scope, ScopeKind
from aptrack.audit import reads
from aptrack.audit import services as audit
from aptrack.audit.models import Channel
from aptrack.children import selectors as child_selectors
from aptrack.core.govuk.pagination import pagination_params
from aptrack.organisations.models import LocalAuthority, Organisation

# A class of 150 is taken on one page; a register longer than this is taken a page at a time.
REGISTER_PAGE_SIZE = 200


def _provider_or_403(request: AuthenticatedHttpRequest) -> int:
    provider_id = permissions.provider_of(request.user)
    if provider_id is None:
        raise PermissionDenied
    return provider_id


@login_required
def register(request: AuthenticatedHttpRequest) -> HttpResponse:
    provider_id = _provider_or_403(request)
    now = timezone.localtime()
    calendar = selectors.get_register_calendar(provider_id=provider_id)
    school_day = selectors.last_school_day(calendar, now.date())
    chosen = request.GET.copy()
    chosen.pop("page", None)  # the page of the register, not which register
    day_form, on, session = day_and_session(chosen, now=now, school_day=school_day)
    placements = selectors.register_placements(provider_id=provider_id, on=on)
    page = Paginator(placements, REGISTER_PAGE_SIZE).get_page(request.GET.get("page"))
    shown = [int(pk) for pk in request.POST.getlist("shown") if pk.isdigit()]
    # A saved page is the children it showed, wherever the pages now begin: a child placed or
    # leaving since shifts them, and "every child on this page" means the children seen.
    lines = selectors.register_lines(
        placements.filter(pk__in=shown) if shown else page.object_list, on=on, session=session
    )
    reads.record_reads(request, children=[line.placement.child_id for line in lines])
    form = RegisterForm(
        request.POST if request.method == "POST" else None,
        lines=lines,
        one_page_of_many=page.paginator.num_pages > 1,
    )
    if request.method == "POST" and form.is_valid():
        rows = form.rows(on=on, session=session)
        if not rows:
            form.add_error(None, "Enter a code for at least one child, or mark every child present")
        else:
            try:
                report = services.record_marks(
                    provider=request.user.organisation,
                    marks=[row for _, row in rows],
                    actor=request.user,
                    channel=MarkChannel.REGISTER,
                    at=timezone.now(),
                    today=now.date(),
                    source=f"Register {on.isoformat()} {session}",
                )
            except services.MarksRejected as rejected:
                _register_errors(form, rows, rejected.report)
            else:
                messages.success(
                    request,
                    f"Register saved for {uk_date(on)}, {session.label.lower()}: "
                    f"{report.created} new, {report.changed} changed, {report.unchanged} unchanged",
                )
                query = request.GET.urlencode()
                return redirect(reverse("attendance:register") + (f"?{query}" if query else ""))
    return TemplateResponse(
        request,
        "attendance/register.html",
        {
            "form": form,
            "day_form": day_form,
            "lines": lines,
            "on": on,
            "session": session,
            "today": now.date(),
            "is_school_day": calendar.is_school_day(on),
            "is_default_day": not chosen,
            "page": page,
            "page_size": REGISTER_PAGE_SIZE,
            "pagination": pagination_params(page, request.GET),
            "marked": selectors.count_register_marked(
                provider_id=provider_id, on=on, session=session
            )
            if page.paginator.num_pages > 1
            else None,
            "codes": session_codes(session, with_x=False),
            # X only for the children below or above compulsory school age that day.
            "codes_with_x": session_codes(session)
            if any(line.may_have_x for line in lines)
            else None,
            "present_sign": codes.PRESENT_SIGN[session.value],
        },
    )


def _register_errors(form: RegisterForm, rows: list, report: services.MarksReport) -> None:
    """Put each refusal on the child's own field (rows were sent in form order, from 1)."""
    placement_by_row = {
        number: placement_id for number, (placement_id, _) in enumerate(rows, start=1)
    }
    field_for = {Column.MINUTES_LATE: "minutes", Column.COMMENT: "comment"}
    for error in report.errors:
        placement_id = placement_by_row.get(error.row or 0)
        if placement_id is None:
            form.add_error(None, error.reason)
            continue
        prefix = field_for.get(error.column, "code") if error.column else "code"
        form.add_error(f"{prefix}_{placement_id}", error.reason)


@login_required
def upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    _provider_or_403(request)
    form = UploadForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    report = None
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        try:
            report = services.record_marks(
                provider=request.user.organisation,
                marks=services.MarksFile(stream=upload_file, name=upload_file.name),
                actor=request.user,
                channel=MarkChannel.UPLOAD,
                at=timezone.now(),
                today=timezone.localdate(),
            )
        except services.MarksRejected as rejected:
            report = rejected.report
            form.add_error(
                "file",
                f"{report.source} was not imported: {report.problem_summary} See the list below",
            )
        else:
            messages.success(request, report.lines()[0])
            return redirect("attendance:upload")
    return TemplateResponse(
        request,
        "attendance/upload.html",
        {
            "form": form,
            "report": report,
            "headings": CSV_HEADINGS,
            "codes": codes.CODES,
            "error_limit": services.ERROR_LIMIT,
        },
    )


@login_required
def child_attendance(request: AuthenticatedHttpRequest, child_id: int) -> HttpResponse:
    child = child_selectors.get_child(user=request.user, child_id=child_id)
    if child is None:
        raise Http404("No child found")
    audit.record_view(
        actor=request.user, at=timezone.now(), channel=Channel.WEB, child=child, where=request.path
    )
    today = timezone.localdate()
    period = Period.academic_year_of(today)
    marks = list(
        selectors.list_marks(
            marks=permissions.scope_marks(request.user),
            child_id=child.pk,
            start_date=period.start_date,
            end_date=period.end_date,
        )
    )
    versions = selectors.list_versions(mark_ids=[mark.pk for mark in marks if mark.version > 1])
    measures = None
    # A provider sees the measures of its own placements only; others the child's whole year.
    provider_id = permissions.provider_of(request.user)
    if provider_id is None:
        measures = selectors.get_measures(scope=Scope.child(child.pk), period=period, today=today)
    return TemplateResponse(
        request,
        "attendance/child.html",
        {
            "child": child,
            "marks": marks,
            "versions": versions,
            "measures": measures,
            "period": period,
        },
    )


@login_required
def measures(request: AuthenticatedHttpRequest) -> HttpResponse:
    scope = permissions.measures_scope(request.user)
    if scope is None:
        raise PermissionDenied
    today = timezone.localdate()
    period = Period.academic_year_of(today)
    overall = selectors.get_measures(scope=scope, period=period, today=today)
    by_term = selectors.list_measures(scope=scope, period=period, by=Grouping.TERM)
    breakdown, breakdown_title = [], ""
    # A provider's scope is its own organisation; an LA's, its authority (`measures_scope`).
    if scope.kind == ScopeKind.LA and scope.id is not None:
        breakdown = selectors.list_measures(scope=scope, period=period, by=Grouping.PROVIDER)
        names = dict(
            Organisation.objects.filter(pk__in=[m.key for m in breakdown]).values_list("pk", "name")
        )
        breakdown = [
            selectors.with_label(m, names.get(m.key, "Unknown provider")) for m in breakdown
        ]
        breakdown.sort(key=lambda m: m.label)
        breakdown_title = "By provider"
        by_type = selectors.list_measures(scope=scope, period=period, by=Grouping.PROVIDER_TYPE)
        title = LocalAuthority.objects.get(pk=scope.id).name
    else:
        by_type = []
        organisation = request.user.organisation  # provider staff: never None (`provider_of`)
        title = organisation.name if organisation is not None else ""
    return TemplateResponse(
        request,
        "attendance/measures.html",
        {
            "title": title,
            "period": period,
            "overall": overall,
            "by_term": by_term,
            "by_type": by_type,
            "breakdown": breakdown,
            "breakdown_title": breakdown_title,
        },
    )
