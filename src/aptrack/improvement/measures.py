"""The dashboard measures a plan's priorities and actions aim to move: the catalogue to choose
from, and each linked measure's current value for this term (from the store of figures,
aptrack.oversight.measures.store)."""

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from aptrack.organisations.models import LocalAuthority
from aptrack.oversight.dashboard.charts import format_value
from aptrack.oversight.dashboard.periods_form import period_query
from aptrack.oversight.measures import store
from aptrack.oversight.measures.catalogue import measure_catalogue
from aptrack.oversight.measures.periods import Period


def catalogue() -> list[tuple[str, str]]:
    return measure_catalogue()


def known_keys() -> set[str]:
    return {key for key, _label in measure_catalogue()}


@dataclass(frozen=True)
class MeasureValue:
    key: str
    label: str
    value: str  # as the dashboard shows it, or "No data"
    period_label: str
    computed_at: dt.datetime  # when the dashboard's figures it shows were computed
    href: str  # the children behind it, or the dashboard


def current_values(
    *, la: LocalAuthority, keys: set[str], today: dt.date
) -> dict[str, MeasureValue]:
    """Each linked measure as the dashboard shows it for the term containing today."""
    if not keys:
        return {}
    labels = dict(measure_catalogue())
    period = Period.term_containing(today)
    kept = store.dashboard(la=la, period=period, today=today)
    board = kept.figures
    query = urlencode(period_query(period, today))
    values: dict[str, MeasureValue] = {}
    for key in sorted(keys):
        figure = board.figure(key)
        if figure is not None and figure.drilldown:
            href = f"{reverse('oversight:children')}?{query}&{figure.drilldown}"
        else:
            href = f"{reverse('oversight:dashboard')}?{query}"
        values[key] = MeasureValue(
            key=key,
            label=labels.get(key, key),
            value=format_value(figure.value, figure.unit) if figure else "No data",
            period_label=period.label,
            computed_at=kept.computed_at,
            href=href,
        )
    return values
