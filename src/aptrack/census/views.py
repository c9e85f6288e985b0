"""The AP census page and its two downloads: the census file and the error report.

Each view: role check (403), the LA from the URL must be the user's own (404 otherwise), one
service call, render. The census file is refused, with the report, while errors remain.
"""

import datetime as dt
import io
from urllib.parse import urlencode

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
from aptrack.audit import reads
from aptrack.audit.models import Channel
from aptrack.census import dates, permissions, services
from aptrack.census.forms import CensusDateForm, PrimaryReasonForm
from aptrack.census.items import ITEMS
from aptrack.children.permissions import scope_children
from aptrack.core.govuk.pagination import pagination_params
from aptrack.organisations.models import LocalAuthority
from aptrack.placements.models import Placement
from aptrack.referrals.models import PrimaryReason

ROWS_PER_PAGE = 50


def _load_la(request: AuthenticatedHttpRequest, la_code: str) -> LocalAuthority:
    la_id = permissions.own_la_id(request.user)
    if la_id is None:
        raise PermissionDenied
    la = LocalAuthority.objects.filter(code=la_code, pk=la_id).first()
    if la is None:
        # Another LA's census looks the same as one that does not exist.
        raise Http404("No census found")
    return la


def _census_date(
    request: AuthenticatedHttpRequest, today: dt.date
) -> tuple[CensusDateForm, dt.date]:
    default = dates.default_census_date(today)
    if "census_date-year" not in request.GET:
        return CensusDateForm(initial={"census_date": default}), default
    form = CensusDateForm(request.GET)
    return form, form.cleaned_data["census_date"] if form.is_valid() else default


def _query(census_date: dt.date) -> str:
    return urlencode(
        {
            "census_date-day": census_date.day,
            "census_date-month": census_date.month,
            "census_date-year": census_date.year,
        }
    )


@login_required
def census_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    la_id = permissions.own_la_id(request.user)
    if la_id is None:
        raise PermissionDenied
    la = LocalAuthority.objects.get(pk=la_id)
    return redirect("census:page", la_code=la.code)


def _render(
    request: AuthenticatedHttpRequest,
    la: LocalAuthority,
    *,
    refused: bool = False,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    form, census_date = _census_date(request, today)
    census = services.build_census(la=la, census_date=census_date, today=today)
    page = Paginator(census.rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    # Every row on the page and every problem row names the child or shows their UPN.
    shown = [*page.object_list, *(issue.row for issue in census.issues)]
    reads.record_reads(
        request, children=[row.child_id for row in shown if row.child_id is not None]
    )
    visible = set(
        scope_children(request.user)
        .filter(pk__in={row.child_id for row in census.rows})
        .values_list("pk", flat=True)
    )
    return TemplateResponse(
        request,
        "census/page.html",
        {
            "la": la,
            "form": form if form.is_bound and form.errors else None,
            "date_form": form,
            "census": census,
            "page": page,
            "pagination": pagination_params(page, request.GET),
            "visible": visible,
            "query": _query(census_date),
            "items": ITEMS,
            "reasons": PrimaryReason.choices,
            "refused": refused,
            "future": census_date > today,
        },
        status=status,
    )


@login_required
def census_page(request: AuthenticatedHttpRequest, la_code: str) -> HttpResponse:
    return _render(request, _load_la(request, la_code))


def _csv_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def census_download(request: AuthenticatedHttpRequest, la_code: str) -> HttpResponse:
    la = _load_la(request, la_code)
    today = timezone.localdate()
    _form, census_date = _census_date(request, today)
    census = services.build_census(la=la, census_date=census_date, today=today)
    stream = io.StringIO(newline="")
    try:
        services.export_census(
            census=census, stream=stream, actor=request.user, at=timezone.now(), channel=Channel.WEB
        )
    except services.CensusHasErrors:
        # Refused: the page again, with the error report and why.
        return _render(request, la, refused=True, status=409)
    return _csv_response(stream.getvalue(), census.filename)


@login_required
def error_report_download(request: AuthenticatedHttpRequest, la_code: str) -> HttpResponse:
    la = _load_la(request, la_code)
    today = timezone.localdate()
    _form, census_date = _census_date(request, today)
    census = services.build_census(la=la, census_date=census_date, today=today)
    stream = io.StringIO(newline="")
    services.export_error_report(
        census=census, stream=stream, actor=request.user, at=timezone.now(), channel=Channel.WEB
    )
    return _csv_response(stream.getvalue(), census.filename.replace(".csv", "-errors.csv"))


@login_required
def record_reason(
    request: AuthenticatedHttpRequest, la_code: str, placement_id: int
) -> HttpResponse:
    """Record the primary reason of a placement that has no referral."""
    la = _load_la(request, la_code)
    placement = (
        Placement.objects.filter(
            pk=placement_id, commissioning_la=la, child__in=scope_children(request.user)
        )
        .select_related("child", "provider", "referral")
        .first()
    )
    if placement is None:
        raise Http404("No placement found")
    back = reverse("census:page", args=[la.code]) + "#validation-report"
    if placement.referral_id:
        messages.info(request, services.REASON_FROM_REFERRAL)
        return redirect(back)
    recorded = getattr(placement, "census_reason", None)
    form = PrimaryReasonForm(
        request.POST if request.method == "POST" else None,
        initial={"primary_reason": recorded.primary_reason} if recorded else None,
    )
    if request.method == "POST" and form.is_valid():
        services.record_primary_reason(
            placement=placement,
            primary_reason=form.cleaned_data["primary_reason"],
            actor=request.user,
            at=timezone.now(),
        )
        messages.success(request, f"Primary reason recorded for {placement.child.full_name}")
        return redirect(back)
    reads.record_reads(request, children=[placement.child_id])
    return TemplateResponse(
        request,
        "census/reason.html",
        {"la": la, "placement": placement, "form": form, "back": back},
    )
