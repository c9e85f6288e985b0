"""The CTF upload page: upload, see what would change, confirm. The file waits in the
session between the diff and the confirmation (at most 2 MB), so the confirmation imports
exactly the file whose diff was shown."""

import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from aptrack.accounts.requests import AuthenticatedHttpRequest
from aptrack.audit import reads
from aptrack.audit.models import Channel
from aptrack.children import ctf, permissions
from aptrack.children.ctf_import import apply_ctf_import, plan_ctf_import
from aptrack.children.forms import CtfUploadForm
from aptrack.organisations.models import LocalAuthority

SESSION_KEY = "ctf_upload"
NOTHING_TO_CONFIRM = "Upload the file again: there is no checked file waiting to be imported"


def _la(request: AuthenticatedHttpRequest) -> LocalAuthority:
    """The LA the user imports into: caseworkers of an LA only."""
    user = request.user
    la_id = user.organisation.local_authority_id if user.organisation else None
    if not permissions.can_register_child(user) or la_id is None:
        raise PermissionDenied
    return LocalAuthority.objects.get(pk=la_id)


@login_required
def import_ctf(request: AuthenticatedHttpRequest) -> HttpResponse:
    la = _la(request)
    form = CtfUploadForm(request.POST or None, request.FILES or None)
    changes = None
    problem = ""
    read = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        request.session.pop(SESSION_KEY, None)
        try:
            read = ctf.parse(content, name=upload.name)
            changes = plan_ctf_import(ctf=read, la=la, today=timezone.localdate())
        except ctf.CtfInvalid as error:
            problem = str(error)
        else:
            request.session[SESSION_KEY] = {
                "name": upload.name,
                "content": base64.b64encode(content).decode("ascii"),
            }
            reads.record_reads(request, children=[c.child for c in changes if c.child is not None])
    return TemplateResponse(
        request,
        "children/import_ctf.html",
        {"form": form, "changes": changes, "problem": problem, "ctf": read, "la": la},
    )


@login_required
@require_POST
def import_ctf_confirm(request: AuthenticatedHttpRequest) -> HttpResponse:
    la = _la(request)
    waiting = request.session.pop(SESSION_KEY, None)
    if not waiting:
        messages.error(request, NOTHING_TO_CONFIRM)
        return redirect("children:import_ctf")
    try:
        read = ctf.parse(base64.b64decode(waiting["content"]), name=waiting["name"])
        changes = apply_ctf_import(
            actor=request.user,
            at=timezone.now(),
            channel=Channel.WEB,
            ctf=read,
            la=la,
            today=timezone.localdate(),
            where=request.path,
        )
    except ctf.CtfInvalid as error:
        messages.error(request, str(error))
        return redirect("children:import_ctf")
    messages.success(request, f"{waiting['name']}: {len(changes)} pupils imported")
    return redirect("children:list")
