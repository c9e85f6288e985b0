"""The LA oversight measures: the figures and breakdowns behind the dashboard and the pack.

Every figure and every row of a breakdown carries the number of children behind it and a
drill-down query (``measure=<key>&value=<value>``) that ``build.children_for`` turns back into exactly
those children, so the list behind a number always has that number of children.

The dataclasses and the catalogue are the interface other modules (pack, suppression, regional)
code against; the computation lives in the other modules of this package (``build`` puts it
together: ``build.build_dashboard``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from aptrack.oversight.measures.periods import Period

if TYPE_CHECKING:
    from aptrack.organisations.models import LocalAuthority

UNITS = ("count", "percent", "days", "gbp", "weeks")

# A number as it is shown: "c" in a publication copy where it is suppressed (`pack.suppression`).
Number = int | Decimal | Literal["c"]


@dataclass(frozen=True)
class Figure:
    key: str  # stable id, e.g. "children_in_ap"
    label: str  # "Children in AP now"
    value: Number | None  # None = no data
    unit: str  # one of UNITS
    count: int | None  # the number of children behind it (for small-number suppression)
    drilldown: str | None  # query string for the children behind it, e.g. "measure=children_in_ap"
    of: int | None = None  # for a percentage: the children it is a percentage of


@dataclass(frozen=True)
class Row:
    """One bar of a breakdown."""

    label: str
    value: Number
    count: int  # children behind it
    drilldown: str | None  # e.g. "measure=by_tier&value=2"


@dataclass(frozen=True)
class Breakdown:
    key: str  # "by_tier", "referrals_by_month", ...
    title: str
    unit: str
    rows: list[Row]
    chart: str  # "bar" | "column" | "line"
    note: str = ""  # how it is counted, shown under the table
    total: int | None = None  # children in the whole group the rows divide (for a share column)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    figures: list[Figure]
    breakdowns: list[Breakdown]
    note: str = ""


HEADLINE_KEYS = (
    "children_in_ap",
    "ehcp_share",
    "children_in_ap_period",
    "sixth_day_compliance",
    "attendance_rate",
    "open_ended",
    "reviews_overdue",
    "reintegration_rate",
    "spend_to_date",
    "budget_forecast",
)


@dataclass(frozen=True)
class Dashboard:
    la: LocalAuthority
    period: Period
    sections: list[Section]
    today: dt.date | None = None
    extra: dict = field(default_factory=dict)

    def figure(self, key: str) -> Figure | None:
        for section in self.sections:
            for figure in section.figures:
                if figure.key == key:
                    return figure
        return None

    def breakdown(self, key: str) -> Breakdown | None:
        for section in self.sections:
            for breakdown in section.breakdowns:
                if breakdown.key == key:
                    return breakdown
        return None

    def headline(self) -> list[Figure]:
        """The figures for the top of the page and of the pack."""
        figures = [self.figure(key) for key in HEADLINE_KEYS]
        return [f for f in figures if f is not None]


# (key, label) of every Figure key. Labels say "now" or "in the period" so a figure is never
# read against the wrong date.
CATALOGUE: list[tuple[str, str]] = [
    # Children in AP now (today)
    ("children_in_ap", "Children in AP now"),
    ("ehcp_share", "Children in AP now with an EHCP"),
    ("looked_after_in_ap", "Looked-after children in AP now"),
    ("part_time_now", "Children in AP now on part-time timetables"),
    ("out_of_area_now", "Children in AP now placed out of area"),
    ("unregistered_now", "Children in AP now at unregistered (non-school) providers"),
    # Placement drift (today)
    ("open_ended", "Children in open-ended placements (no planned end date)"),
    ("open_ended_no_exit_plan", "Children in open-ended placements with no exit plan"),
    (
        "drift",
        "Children in drifting placements (past their planned end or maximum length, or open-ended "
        "without a justification)",
    ),
    ("reviews_overdue", "Children whose placement review is overdue"),
    ("longest_length", "Longest placement running now"),
    # Over the period
    ("children_in_ap_period", "Children in AP during the period"),
    ("placement_moves", "Children who moved placement during the period"),
    ("referrals_in_period", "Children referred in the period"),
    ("placements_started", "Children starting a placement in the period"),
    ("placements_ended", "Children whose placement ended in the period"),
    ("average_length", "Average length of placements ended in the period"),
    # Sixth-day duty
    ("permanent_exclusions", "Permanently excluded children whose sixth day fell in the period"),
    ("sixth_day_compliance", "Permanently excluded children with provision by the sixth day"),
    ("sixth_day_missed", "Permanently excluded children without provision by the sixth day"),
    # Fair Access: a place within 20 school days of the panel's decision
    ("fair_access_due", "Fair Access children whose 20th school day fell in the period"),
    ("fair_access_met", "Fair Access children placed within 20 school days"),
    ("fair_access_missed", "Fair Access children not placed within 20 school days"),
    # Attendance
    ("attendance_rate", "Attendance in AP in the period"),
    ("persistent_absence", "Children in AP persistently absent in the period"),
    # Outcomes
    ("reintegration_rate", "Children leaving AP in the period who returned to a mainstream school"),
    ("english_maths", "Children leaving AP in the period with English and maths"),
    (
        "neet_destinations",
        "Children leaving AP in the period not in education (NEET or missing education)",
    ),
    # Money
    ("spend_to_date", "Spend on placements in the period to date"),
    ("average_weekly_cost", "Average weekly cost of placements now"),
    # Spend against the AP budget, in the financial year the period's last day falls in
    ("ap_budget", "AP budget (high-needs block) for the financial year"),
    ("approved_spend", "Spend approved on invoices in the financial year so far"),
    ("committed_spend", "Spend committed in the financial year, not yet invoiced and approved"),
    ("forecast_spend", "Forecast spend for the financial year (approved and committed)"),
    ("budget_forecast", "Forecast high-needs spend on AP as a share of the AP budget"),
]


# Keys the dashboard has renamed, each old key with its new one. Lists of keys stored elsewhere
# (improvement plans' priorities and actions) may still hold an old key: read them through
# `current_measure_keys`, never by looking the stored key up in the catalogue directly.
RENAMED_MEASURES: dict[str, str] = {
    # Placements past their planned end or maximum length; `drift` counts those and open-ended
    # placements without a justification (docs/rules.md, "Drift").
    "overdue_placements": "drift",
}


def current_measure_keys(keys: Iterable[str]) -> list[str]:
    """Stored measure keys as the dashboard now names them (`RENAMED_MEASURES`), in their order,
    each once."""
    return list(dict.fromkeys(RENAMED_MEASURES.get(key, key) for key in keys))


def measure_catalogue() -> list[tuple[str, str]]:
    """(key, label) of every Figure key the dashboard can produce."""
    return list(CATALOGUE)
