"""The dashboard page's content for one LA, period form input and day: built from the measures,
or served from its snapshot while nothing behind it has changed, and rebuilt in the background
after a change for the pages people have looked at today, so the next look is served at once.

The content is the same for everyone who may see the LA's dashboard (the children behind a
number are scoped when listed), so it is built without a request.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse

from aptrack.organisations.models import LocalAuthority
from aptrack.oversight import charts, freshness, snapshots
from aptrack.oversight.measures import Dashboard, build_dashboard
from aptrack.oversight.measures_base import COHORT_PERIOD
from aptrack.oversight.models import DashboardSnapshot
from aptrack.oversight.periods import DEFAULT_PRESET, Period, parse_period
from aptrack.oversight.periods_form import PeriodForm, period_query

TEMPLATE = "oversight/_dashboard_main.html"
FORM_KEYS = frozenset(
    {"period", "cohort", *(f"{name}-{part}" for name in ("start", "end") for part in ("day", "month", "year"))}
)


@dataclass(frozen=True)
class Page:
    form: PeriodForm | None  # None: served from a snapshot, without reading the form
    period: Period | None  # None: from a snapshot, or the form has errors and nothing was built
    cohort: str | None
    html: str | None
    board: Dashboard | None  # the figures, when they were built for this page rather than kept


def period_form(data: Mapping[str, str] | None, today: dt.date) -> PeriodForm:
    return PeriodForm(data or None, today=today, initial={"period": DEFAULT_PRESET, "cohort": COHORT_PERIOD})


def chosen_period(form: PeriodForm) -> tuple[Period, str] | None:
    """The chosen period and cohort; the default when the form is blank; None when it is invalid."""
    if not form.is_bound:
        return parse_period({}, form.today), COHORT_PERIOD
    if not form.is_valid():
        return None
    return form.cleaned_data["period_obj"], form.cleaned_data["cohort"]


def form_input(data: Mapping[str, str]) -> str:
    """The period form's input as the page shows it back: a snapshot is kept for each."""
    return urlencode(sorted((key, value) for key, value in data.items() if key in FORM_KEYS))


def page(*, la: LocalAuthority, data: Mapping[str, str] | None, today: dt.date) -> Page:
    shown = form_input(data or {})
    kept = snapshots.kept(la_id=la.pk, today=today, form_input=shown)
    if kept is not None:
        return Page(None, None, None, kept, None)
    form = period_form(data, today)
    chosen = chosen_period(form)
    if chosen is None:
        return Page(form, None, None, None, None)
    period, cohort = chosen
    built: list[Dashboard] = []

    def build() -> str:
        board = build_dashboard(la=la, period=period, today=today, cohort=cohort)
        built.append(board)
        return render_to_string(TEMPLATE, {
            "la": la, "form": form, "today": today, "period": period, "cohort": cohort,
            **_body_context(board, period, cohort, today),
        })

    html = snapshots.keep(la=la, today=today, build=build, form_input=shown)
    return Page(form, period, cohort, html, built[0] if built else None)


def refresh(*, la_ids: Iterable[int], today: dt.date) -> int:
    """Rebuild today's snapshots of these LAs that are out of date; return how many."""
    rebuilt = 0
    stamps: dict[int, str] = {}
    for snapshot in DashboardSnapshot.objects.filter(
        local_authority_id__in=list(la_ids), day=today
    ).select_related("local_authority").order_by("pk"):
        la_id = snapshot.local_authority_id
        stamp = stamps.setdefault(la_id, freshness.versions(la_id))
        if snapshot.stamp == stamp:
            continue
        page(la=snapshot.local_authority, data=QueryDict(snapshot.form_input), today=today)
        rebuilt += 1
    return rebuilt


def _drill_prefix(period: Period, today: dt.date) -> str:
    return f"{reverse('oversight:children')}?{urlencode(period_query(period, today))}&"


def _body_context(board: Dashboard, period: Period, cohort: str, today: dt.date) -> dict[str, Any]:
    prefix = _drill_prefix(period, today)
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
