"""The LA oversight dashboard and the list of children behind any of its numbers.

Each view: authorise (403 for anyone but the LA's officers, managers and QA leads), read the
period from the GET form, read the figures from the store of figures (`measures.store`; the children
behind a number are listed live), render. Charts are SVG drawn on the server, so the pages work
without JavaScript and print.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from aptrack.accounts.requests import AuthenticatedHttpRequest
from aptrack.audit import reads
from aptrack.core.govuk.pagination import pagination_params
from aptrack.organisations.models import LocalAuthority
from aptrack.oversight.dashboard import page as dashboard_page
from aptrack.oversight.dashboard import selectors
from aptrack.oversight.dashboard.access import dashboard_la
from aptrack.oversight.dashboard.periods_form import PeriodForm, period_query
from aptrack.oversight.measures import store
from aptrack.oversight.measures.base import Context
from aptrack.oversight.measures.build import children_for, describe

PAGE_SIZE = 50
DASHBOARD_TEMPLATE = "oversight/dashboard.html"


def _la_or_403(request: AuthenticatedHttpRequest) -> LocalAuthority:
    la = dashboard_la(request.user)
    if la is None:
        raise PermissionDenied
    return la


@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    la = _la_or_403(request)
    today = timezone.localdate()
    content = dashboard_page.page(la=la, data=request.GET, today=today)
    context = {
        "la": la,
        "form": content.form,
        "today": today,
        "period": content.period,
        "cohort": content.cohort,
        "dashboard": content.board,
        "computed_at": content.computed_at,
    }
    if content.board is not None and content.period is not None:
        context.update(dashboard_page.body_context(content.board, content.period, today))
    return TemplateResponse(request, DASHBOARD_TEMPLATE, context)


@login_required
def children(request: AuthenticatedHttpRequest) -> HttpResponse:
    la = _la_or_403(request)
    today = timezone.localdate()
    form = PeriodForm(request.GET, today=today)
    chosen = dashboard_page.chosen_period(form)
    measure, value = request.GET.get("measure", ""), request.GET.get("value")
    if chosen is None or not measure:
        raise Http404("No such figure")
    period, cohort = chosen
    try:
        behind = children_for(
            la=la, period=period, today=today, measure=measure, value=value, cohort=cohort
        )
        kept = store.dashboard(la=la, period=period, today=today, cohort=cohort)
        title, row_label, counted = describe(kept.figures, measure=measure, value=value)
    except KeyError:
        raise Http404("No such figure") from None
    ctx = Context(la_id=la.pk, period=period, today=today, cohort=cohort)
    total = behind.count()
    visible = selectors.visible_children(user=request.user, children=behind, ctx=ctx)
    page = Paginator(visible, PAGE_SIZE).get_page(request.GET.get("page"))
    reads.record_reads(request, children=page.object_list)
    back = f"{reverse('oversight:dashboard')}?{urlencode(period_query(period, today, cohort))}"
    return TemplateResponse(
        request,
        "oversight/drilldown.html",
        {
            "la": la,
            "period": period,
            "cohort": cohort,
            "title": title,
            "row_label": row_label,
            "total": total,
            "page": page,
            "pagination": pagination_params(page, request.GET),
            "as_of": ctx.as_of,
            "counted": counted,
            "computed_at": kept.computed_at,
            "back": back,
        },
    )
