"""Notice pages: the school's two forms, the list of notices and one notice, thin as style.md
asks."""

import datetime as dt
from typing import Any, Protocol

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from aptrack.accounts.models import User
from aptrack.accounts.requests import AuthenticatedHttpRequest
from aptrack.audit import reads
from aptrack.audit.models import Channel
from aptrack.core.errors import add_service_errors
from aptrack.core.govuk.pagination import pagination_params
from aptrack.notices import permissions, selectors, services
from aptrack.notices.forms import ExclusionNoticeForm, SchoolApNoticeForm
from aptrack.notices.models import Notice, NoticeKind


@login_required
def notice_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_read_notices(request.user):
        raise PermissionDenied
    kind = request.GET.get("kind", "")
    if kind not in NoticeKind.values:
        kind = ""
    page = Paginator(selectors.list_notices(user=request.user, kind=kind), 25).get_page(
        request.GET.get("page")
    )
    reads.record_reads(request, children=[notice.child_id for notice in page.object_list])
    return TemplateResponse(
        request,
        "notices/list.html",
        {
            "page": page,
            "pagination": pagination_params(page, request.GET),
            "kind": kind,
            "kinds": NoticeKind.choices,
            "can_send": permissions.can_send_notices(request.user),
        },
    )


class _NoticeService(Protocol):
    def __call__(
        self, *, actor: User, at: dt.datetime, channel: Channel, data: dict[str, Any], where: str
    ) -> Notice: ...


@login_required
def notice_detail(request: AuthenticatedHttpRequest, notice_id: int) -> HttpResponse:
    if not permissions.can_read_notices(request.user):
        raise PermissionDenied
    notice = selectors.get_notice(user=request.user, notice_id=notice_id)
    if notice is None:
        raise Http404("No notice found")
    reads.record_reads(request, children=[notice.child_id])
    return TemplateResponse(
        request,
        "notices/detail.html",
        {"notice": notice, "may_open": permissions.records_to_open(request.user, notice)},
    )


def _notice_form(
    request: AuthenticatedHttpRequest,
    form_class: type[Form],
    service: _NoticeService,
    template: str,
    title: str,
) -> HttpResponse:
    if not permissions.can_send_notices(request.user):
        raise PermissionDenied
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            notice = service(
                actor=request.user,
                at=timezone.now(),
                channel=Channel.WEB,
                data=form.cleaned_data,
                where=request.path,
            )
        except services.NoticeInvalid as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The local authority has your notice")
            return redirect("notices:detail", notice_id=notice.pk)
    return TemplateResponse(request, template, {"form": form, "title": title})


@login_required
def exclusion_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _notice_form(
        request,
        ExclusionNoticeForm,
        services.notify_exclusion,
        "notices/form.html",
        "Notify the local authority of an exclusion",
    )


@login_required
def school_ap_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _notice_form(
        request,
        SchoolApNoticeForm,
        services.notify_school_ap,
        "notices/form.html",
        "Tell the local authority about alternative provision you commission",
    )
