"""The data protection officer's download of the audit log, for an LA manager, scoped to their LA."""

import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from aptrack.audit.models import Channel
from aptrack.dataprotection import permissions
from aptrack.dataprotection.audit_log import export_audit_log
from aptrack.dataprotection.forms import AuditLogRangeForm


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    if not permissions.can_export_audit_log(request.user):
        raise PermissionDenied
    form = AuditLogRangeForm(request.GET or None)
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        stream = io.StringIO(newline="")
        export_audit_log(
            start=start,
            end=end,
            la_id=request.user.organisation.local_authority_id,  # type: ignore[union-attr]
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
