"""Document pages: a record's documents with the upload form, and the download. Load the record
through the owning app's permissions (out of reach: 404), one service call, render. Files are
only ever served by `download`, as an attachment, after a scope check and an audit event."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from aptrack.audit import reads
from aptrack.documents import permissions, selectors, services
from aptrack.documents.forms import UploadForm
from aptrack.documents.models import AttachedTo

URL_NAMES = {
    AttachedTo.COMPLIANCE_CHECK: "documents:compliance",
    AttachedTo.QA_VISIT: "documents:visit",
    AttachedTo.PLACEMENT: "documents:placement",
    AttachedTo.PROVIDER_REPORT: "documents:report",
}


def _documents_page(request: HttpRequest, kind: AttachedTo, pk: int) -> HttpResponse:
    target = selectors.get_target(user=request.user, kind=kind, pk=pk)
    if target is None:
        raise Http404("No record found")
    if kind == AttachedTo.PLACEMENT:
        reads.record_reads(request, children=[target.child_id])  # type: ignore[union-attr]
    elif kind == AttachedTo.PROVIDER_REPORT:
        reads.record_reads(request, children=[target.placement.child_id])  # type: ignore[union-attr]
    can_add = permissions.can_add_to(request.user, target)
    with_expiry = kind == AttachedTo.COMPLIANCE_CHECK
    form = UploadForm(
        *((request.POST, request.FILES) if request.method == "POST" else ()),
        with_expiry=with_expiry,
    )
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                services.upload_document(
                    target=target,
                    stream=upload,
                    name=upload.name,
                    title=form.cleaned_data["title"],
                    expiry_date=form.cleaned_data.get("expiry_date"),
                    by=request.user,
                    at=timezone.now(),
                    where=request.path,
                )
            except services.DocumentRefused as refused:
                form.add_error(refused.field, str(refused))
            else:
                messages.success(request, "Document uploaded")
                return redirect(URL_NAMES[kind], pk)
    return TemplateResponse(
        request,
        "documents/list.html",
        {
            "kind": kind.value,
            "target": target,
            "documents": selectors.list_documents(target=target),
            "form": form,
            "can_add": can_add,
        },
    )


@login_required
def compliance_documents(request: HttpRequest, pk: int) -> HttpResponse:
    return _documents_page(request, AttachedTo.COMPLIANCE_CHECK, pk)


@login_required
def visit_documents(request: HttpRequest, pk: int) -> HttpResponse:
    return _documents_page(request, AttachedTo.QA_VISIT, pk)


@login_required
def placement_documents(request: HttpRequest, pk: int) -> HttpResponse:
    return _documents_page(request, AttachedTo.PLACEMENT, pk)


@login_required
def report_documents(request: HttpRequest, pk: int) -> HttpResponse:
    return _documents_page(request, AttachedTo.PROVIDER_REPORT, pk)


@login_required
def download(request: HttpRequest, pk: int) -> FileResponse:
    document = selectors.get_document(user=request.user, document_id=pk)
    if document is None:
        raise Http404("No document found")
    services.record_download(
        document=document, by=request.user, at=timezone.now(), where=request.path
    )
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.filename,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
