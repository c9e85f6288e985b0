"""Committee pack pages: ask for a pack, watch it being produced (a page that refreshes itself,
no JavaScript), download the PDF and the workbook. LA managers and officers, their LA only."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from aptrack.accounts.requests import AuthenticatedHttpRequest
from aptrack.organisations.models import LocalAuthority
from aptrack.oversight.models import PackExport
from aptrack.oversight.pack import permissions, services
from aptrack.oversight.pack.forms import PackRequestForm
from aptrack.oversight.pack.states import PackStatus

REFRESH_SECONDS = 3
RECENT = 10
FILES = {
    "pdf": ("pdf", "application/pdf"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


def _la(request: AuthenticatedHttpRequest) -> LocalAuthority:
    if not permissions.may_use_packs(request.user):
        raise PermissionDenied
    organisation = request.user.organisation
    if organisation is None or organisation.local_authority is None:  # never: may_use_packs
        raise PermissionDenied
    return organisation.local_authority


def _load_export(request: AuthenticatedHttpRequest, export_id: int) -> PackExport:
    if not permissions.may_use_packs(request.user):
        raise PermissionDenied
    export = (
        PackExport.objects.select_related("local_authority", "requested_by")
        .defer("pdf", "xlsx")
        .filter(pk=export_id)
        .first()
    )
    if export is None or not permissions.can_view_export(request.user, export):
        raise Http404("No pack found")
    return export


@login_required
def pack_request(request: AuthenticatedHttpRequest) -> HttpResponse:
    la = _la(request)
    today = timezone.localdate()
    form = PackRequestForm(request.POST if request.method == "POST" else None, today=today)
    if request.method == "POST" and form.is_valid():
        export = services.request_pack(
            la=la,
            period=form.cleaned_data["chosen"],
            for_publication=form.cleaned_data["for_publication"],
            actor=request.user,
            at=timezone.now(),
            today=today,
            where=request.path,
        )
        return redirect("oversight:pack_status", export_id=export.pk)
    recent = (
        PackExport.objects.filter(local_authority=la)
        .select_related("requested_by")
        .defer("pdf", "xlsx")
        .order_by("-requested_at", "-pk")[:RECENT]
    )
    return TemplateResponse(
        request, "oversight/pack_request.html", {"form": form, "la": la, "recent": recent}
    )


@login_required
def pack_status(request: AuthenticatedHttpRequest, export_id: int) -> HttpResponse:
    export = _load_export(request, export_id)
    return TemplateResponse(
        request,
        "oversight/pack_status.html",
        {
            "export": export,
            "refresh": None if export.is_finished else REFRESH_SECONDS,
            "Status": PackStatus,
        },
    )


@login_required
def pack_download(request: AuthenticatedHttpRequest, export_id: int, kind: str) -> HttpResponse:
    if kind not in FILES:
        raise Http404("No such file")
    export = _load_export(request, export_id)
    if export.status != PackStatus.DONE:
        raise Http404("The pack is not ready")
    extension, content_type = FILES[kind]
    content = PackExport.objects.values_list(kind, flat=True).get(pk=export.pk)
    services.record_download(
        export=export, file_kind=kind, actor=request.user, at=timezone.now(), where=request.path
    )
    response = HttpResponse(bytes(content), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename(extension)}"'
    response["Cache-Control"] = "no-store"
    return response
