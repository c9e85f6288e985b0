"""The data protection officer's download of the audit log, for an LA manager, scoped to their
LA, and a child's subject access export (linked from the child's page)."""

import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from aptrack.accounts.requests import AuthenticatedHttpRequest
from aptrack.audit import services as audit
from aptrack.audit.models import Channel
from aptrack.children import permissions as children_permissions
from aptrack.children import selectors as children_selectors
from aptrack.dataprotection import permissions, subject_access
from aptrack.dataprotection.audit_log import export_audit_log
from aptrack.dataprotection.forms import AuditLogRangeForm


@login_required
def audit_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    organisation = request.user.organisation
    la_id = organisation.local_authority_id if organisation is not None else None
    if not permissions.can_export_audit_log(request.user) or la_id is None:
        raise PermissionDenied
    form = AuditLogRangeForm(request.GET or None)
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        stream = io.StringIO(newline="")
        export_audit_log(
            start=start,
            end=end,
            la_id=la_id,
            stream=stream,
            actor=request.user,
            channel=Channel.WEB,
            where=request.path,
        )
        response = HttpResponse(
            stream.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="audit-log-{start}-to-{end}.csv"'
        return response
    return TemplateResponse(request, "dataprotection/audit_log.html", {"form": form})


SUBJECT_ACCESS_TYPES = {"json": "application/json", "pdf": "application/pdf"}


@login_required
def child_subject_access(
    request: AuthenticatedHttpRequest, child_id: int, fmt: str
) -> HttpResponse:
    """Everything held about the child (JSON or PDF), for those who answer subject access requests."""
    child = children_selectors.get_child(user=request.user, child_id=child_id)
    if child is None:
        # Out of scope looks the same as missing: no hint that the child exists elsewhere.
        raise Http404("No child found")
    audit.record_view(
        actor=request.user, at=timezone.now(), channel=Channel.WEB, child=child, where=request.path
    )
    if not children_permissions.can_export_subject_access(request.user, child):
        raise PermissionDenied
    content = subject_access.export_child(
        child=child,
        fmt=fmt,
        actor=request.user,
        at=timezone.now(),
        channel=Channel.WEB,
        where=request.path,
    )
    response = HttpResponse(content, content_type=SUBJECT_ACCESS_TYPES[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="subject-access-child-{child.pk}.{fmt}"'
    )
    return response
