"""The dashboard page for one LA: the period form, the figures from the store of figures
(`store.dashboard`) and what the template draws from them (cards and chart panels).

The figures are the same for everyone who may see the LA's dashboard (the children behind a
number are scoped when listed), so they are kept without a request.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from aptrack.organisations.models import LocalAuthority
from aptrack.oversight.dashboard import charts
from aptrack.oversight.dashboard.periods_form import PeriodForm, period_query
from aptrack.oversight.measures import store
from aptrack.oversight.measures.base import COHORT_PERIOD
from aptrack.oversight.measures.catalogue import Dashboard
from aptrack.oversight.measures.periods import DEFAULT_PRESET, Period, parse_period


@dataclass(frozen=True)
class Page:
    form: PeriodForm
    period: Period | None  # None: the form has errors and nothing was read
    cohort: str | None
    board: Dashboard | None
    computed_at: dt.datetime | None


def period_form(data: Mapping[str, str] | None, today: dt.date) -> PeriodForm:
    return PeriodForm(
        data or None, today=today, initial={"period": DEFAULT_PRESET, "cohort": COHORT_PERIOD}
    )


def chosen_period(form: PeriodForm) -> tuple[Period, str] | None:
    """The chosen period and cohort; the default when the form is blank; None when it is invalid."""
    if not form.is_bound:
        return parse_period({}, form.today), COHORT_PERIOD
    if not form.is_valid():
        return None
    return form.cleaned_data["period_obj"], form.cleaned_data["cohort"]


def page(*, la: LocalAuthority, data: Mapping[str, str] | None, today: dt.date) -> Page:
    form = period_form(data, today)
    chosen = chosen_period(form)
    if chosen is None:
        return Page(form, None, None, None, None)
    period, cohort = chosen
    kept = store.dashboard(la=la, period=period, today=today, cohort=cohort)
    return Page(form, period, cohort, kept.figures, kept.computed_at)


def _drill_prefix(period: Period, today: dt.date) -> str:
    return f"{reverse('oversight:children')}?{urlencode(period_query(period, today))}&"


def body_context(board: Dashboard, period: Period, today: dt.date) -> dict[str, Any]:
    prefix = _drill_prefix(period, today)
    return {
        "headline": [charts.figure_card(f, drill_prefix=prefix) for f in board.headline()],
        "sections": [
            {
                "section": section,
                "cards": [charts.figure_card(f, drill_prefix=prefix) for f in section.figures],
                "panels": [
                    charts.panel(b, drill_prefix=prefix, id_prefix=f"{section.key}-")
                    for b in section.breakdowns
                ],
            }
            for section in board.sections
        ],
    }
