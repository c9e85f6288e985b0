"""The regional and national tables as they are shown: one column per measure, every cell
suppressed when it rests on 1 to 4 children, and the national figures DfE and others have
published (domain.md §7) in a row of their own, labelled with their source and year."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from aptrack.oversight import suppression
from aptrack.oversight.pack_format import format_change, format_value
from aptrack.oversight.regional_selectors import LaFigures

NOT_PUBLISHED = "Not published"


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    unit: str
    value: Callable[[LaFigures], int | Decimal | None]
    count: Callable[[LaFigures], int]  # the children counted (the numerator)
    of: Callable[[LaFigures], int | None]  # the children it is a rate of (None for a count)
    published: str = NOT_PUBLISHED  # the national figure published elsewhere, if any
    source: str = ""


MEASURES = [
    Measure(
        "children_now", "Children in AP now", "count",
        lambda f: f.children_now, lambda f: f.children_now, lambda f: None,
        "48,133", "LA-funded AP placements, AP census January 2024 (Tes); 15,866 pupils in "
        "state-funded AP schools, January 2024 (Schools Week)",
    ),
    Measure(
        "ehcp_share", "With an EHCP", "percent",
        lambda f: f.ehcp_share, lambda f: f.ehcp_now, lambda f: f.children_now,
        "About 85%", "AP census pupils with an EHCP, January 2020 (FFT Datalab)",
    ),
    Measure(
        "looked_after_share", "Looked after", "percent",
        lambda f: f.looked_after_share, lambda f: f.looked_after_now, lambda f: f.children_now,
    ),
    Measure(
        "fsm_share", "Eligible for free school meals", "percent",
        lambda f: f.fsm_share, lambda f: f.fsm_now, lambda f: f.children_now,
        "47%", "Pupils in AP eligible for free school meals, 2021 (Centre for Social Justice)",
    ),
    Measure(
        "attendance_rate", "Attendance", "percent",
        lambda f: f.attendance_rate, lambda f: f.attendance_children, lambda f: None,
        "57.5%", "State-funded AP schools, 2023/24: overall absence 42.5% (DfE, Explore "
        "education statistics, Absence in state-funded AP)",
    ),
    Measure(
        "registered_attendance", "Attendance at registered providers", "percent",
        lambda f: f.registered_attendance_rate, lambda f: f.registered_children, lambda f: None,
        "57.5%", "State-funded AP schools only, 2023/24 (as above)",
    ),
    Measure(
        "non_school_attendance", "Attendance at unregistered providers", "percent",
        lambda f: f.non_school_attendance_rate, lambda f: f.non_school_children, lambda f: None,
    ),
    Measure(
        "sixth_day_compliance", "Provision by the sixth day after permanent exclusion", "percent",
        lambda f: f.sixth_day_compliance, lambda f: f.sixth_day_met, lambda f: f.excluded,
    ),
    Measure(
        "reintegration_rate", "Returned to mainstream school when the placement ended", "percent",
        lambda f: f.reintegration_rate, lambda f: f.reintegrated, lambda f: f.ended,
    ),
]
BY_KEY = {m.key: m for m in MEASURES}


def cell_value(measure: Measure, figures: LaFigures) -> int | Decimal | str | None:
    """The measure's value for an LA or area, "c" if it rests on 1 to 4 children."""
    return suppression.suppress_rate(measure.value(figures), measure.count(figures), measure.of(figures))


def cell(measure: Measure, figures: LaFigures) -> str:
    return format_value(cell_value(measure, figures), measure.unit, empty="–")


@dataclass(frozen=True)
class TableRow:
    label: str
    cells: list[str]
    kind: str = "la"  # "la", "total", "published"
    is_own: bool = False  # the signed-in LA manager's own LA


def row(label: str, figures: LaFigures, *, kind: str = "la", is_own: bool = False) -> TableRow:
    return TableRow(label, [cell(m, figures) for m in MEASURES], kind, is_own)


def published_row() -> TableRow:
    return TableRow("Published national figures (see sources)", [m.published for m in MEASURES], "published")


def sources() -> list[tuple[str, str]]:
    return [(m.label, m.source) for m in MEASURES if m.source]


@dataclass(frozen=True)
class ComparisonLine:
    label: str
    first: str
    second: str
    difference: str
    area: str
    england: str
    published: str


def difference(measure: Measure, first: LaFigures, second: LaFigures) -> str:
    a, b = cell_value(measure, first), cell_value(measure, second)
    if a is None or b is None:
        return "–"
    if suppression.is_suppressed(a) or suppression.is_suppressed(b):
        return suppression.SUPPRESSED
    return format_change(a - b, measure.unit)  # type: ignore[operator]


def comparison(first: LaFigures, second: LaFigures, area: LaFigures, england: LaFigures) -> list[ComparisonLine]:
    """Two LAs measure by measure, with their difference, the area's and England's figures."""
    return [
        ComparisonLine(
            m.label, cell(m, first), cell(m, second), difference(m, first, second),
            cell(m, area), cell(m, england), m.published,
        )
        for m in MEASURES
    ]
