"""The LA oversight dashboard and the list of children behind any of its numbers.

Each view: authorise (403 for anyone but the LA's officers, managers and QA leads), read the
period from the GET form, compute through `measures`, render. Charts are SVG drawn on the
server, so the pages work without JavaScript and print.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from markupsafe import Markup

from aptrack.core.govuk.pagination import pagination_params
from aptrack.organisations.models import LocalAuthority
from aptrack.oversight import charts, selectors, snapshots
from aptrack.oversight.access import dashboard_la
from aptrack.oversight.measures import Dashboard, build_dashboard, children_for
from aptrack.oversight.measures_base import COHORT_PERIOD, Context
from aptrack.oversight.measures_build import describe
from aptrack.oversight.periods import DEFAULT_PRESET, Period, parse_period
from aptrack.oversight.periods_form import PeriodForm, period_query

PAGE_SIZE = 50


def _la_or_403(request: HttpRequest) -> LocalAuthority:
    la = dashboard_la(request.user)
    if la is None:
        raise PermissionDenied
    return la


def _period(form: PeriodForm) -> tuple[Period, str] | None:
    """The chosen period and cohort; the default when the form is blank; None when it is invalid."""
    if not form.is_bound:
        return parse_period({}, form.today), COHORT_PERIOD
    if not form.is_valid():
        return None
    return form.cleaned_data["period_obj"], form.cleaned_data["cohort"]


def _drill_prefix(period: Period, cohort: str, today) -> str:  # type: ignore[no-untyped-def]
    return f"{reverse('oversight:children')}?{urlencode(period_query(period, today))}&"


def _body_context(board: Dashboard, period: Period, cohort: str, today: dt.date) -> dict[str, Any]:
    prefix = _drill_prefix(period, cohort, today)
    return {
        "headline": [charts.figure_card(f, drill_prefix=prefix) for f in board.headline()],
        "sections": [
            {
                "section": section,
                "cards": [charts.figure_card(f, drill_prefix=prefix) for f in section.figures],
                "panels": [
                    charts.panel(b, drill_prefix=prefix, id_prefix=f"{section.key}-") for b in section.breakdowns
                ],
            }
            for section in board.sections
        ],
    }


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    la = _la_or_403(request)
    today = timezone.localdate()
    form = PeriodForm(
        request.GET or None, today=today, initial={"period": DEFAULT_PRESET, "cohort": COHORT_PERIOD}
    )
    chosen = _period(form)
    context: dict = {"la": la, "form": form, "today": today, "dashboard": None, "period": None, "body": None}
    if chosen is not None:
        period, cohort = chosen

        def build() -> str:
            board = build_dashboard(la=la, period=period, today=today, cohort=cohort)
            context["dashboard"] = board
            return render_to_string("oversight/_dashboard_body.html", _body_context(board, period, cohort, today))

        served = snapshots.serve(la=la, period=period, cohort=cohort, today=today, build=build)
        context.update(period=period, cohort=cohort, body=Markup(served.html))
    return TemplateResponse(request, "oversight/dashboard.html", context)


@login_required
def children(request: HttpRequest) -> HttpResponse:
    la = _la_or_403(request)
    today = timezone.localdate()
    form = PeriodForm(request.GET, today=today)
    chosen = _period(form)
    measure, value = request.GET.get("measure", ""), request.GET.get("value")
    if chosen is None or not measure:
        raise Http404("No such figure")
    period, cohort = chosen
    try:
        behind = children_for(la=la, period=period, today=today, measure=measure, value=value, cohort=cohort)
        title, row_label = describe(la=la, period=period, today=today, measure=measure, value=value, cohort=cohort)
    except KeyError:
        raise Http404("No such figure") from None
    ctx = Context(la_id=la.pk, period=period, today=today, cohort=cohort)
    total = behind.count()
    visible = selectors.visible_children(user=request.user, children=behind, ctx=ctx)
    page = Paginator(visible, PAGE_SIZE).get_page(request.GET.get("page"))
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
            "back": back,
        },
    )
