"""The regional and national tables as they are shown: one column per measure, every cell
suppressed when it rests on 1 to 4 children, and the national figures DfE and others have
published (domain.md §7) in a row of their own, labelled with their source and year."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from aptrack.oversight.measures.catalogue import Number
from aptrack.oversight.measures.regional import LaFigures
from aptrack.oversight.pack import suppression
from aptrack.oversight.pack.formatting import format_change, format_value

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
    sums: bool = False  # an area's value is its LAs' values added up (money)


MEASURES = [
    Measure(
        "children_now",
        "Children in AP now",
        "count",
        lambda f: f.children_now,
        lambda f: f.children_now,
        lambda f: None,
        "48,133",
        "LA-funded AP placements, AP census January 2024 (Tes); 15,866 pupils in "
        "state-funded AP schools, January 2024 (Schools Week)",
    ),
    Measure(
        "ehcp_share",
        "With an EHCP",
        "percent",
        lambda f: f.ehcp_share,
        lambda f: f.ehcp_now,
        lambda f: f.children_now,
        "About 85%",
        "AP census pupils with an EHCP, January 2020 (FFT Datalab)",
    ),
    Measure(
        "looked_after_share",
        "Looked after",
        "percent",
        lambda f: f.looked_after_share,
        lambda f: f.looked_after_now,
        lambda f: f.children_now,
    ),
    Measure(
        "fsm_share",
        "Eligible for free school meals",
        "percent",
        lambda f: f.fsm_share,
        lambda f: f.fsm_now,
        lambda f: f.children_now,
        "47%",
        "Pupils in AP eligible for free school meals, 2021 (Centre for Social Justice)",
    ),
    Measure(
        "attendance_rate",
        "Attendance",
        "percent",
        lambda f: f.attendance_rate,
        lambda f: f.attendance_children,
        lambda f: None,
        "57.5%",
        "State-funded AP schools, 2023/24: overall absence 42.5% (DfE, Explore "
        "education statistics, Absence in state-funded AP)",
    ),
    Measure(
        "registered_attendance",
        "Attendance at registered providers",
        "percent",
        lambda f: f.registered_attendance_rate,
        lambda f: f.registered_children,
        lambda f: None,
        "57.5%",
        "State-funded AP schools only, 2023/24 (as above)",
    ),
    Measure(
        "non_school_attendance",
        "Attendance at unregistered providers",
        "percent",
        lambda f: f.non_school_attendance_rate,
        lambda f: f.non_school_children,
        lambda f: None,
    ),
    Measure(
        "sixth_day_compliance",
        "Provision by the sixth day after permanent exclusion",
        "percent",
        lambda f: f.sixth_day_compliance,
        lambda f: f.sixth_day_met,
        lambda f: f.excluded,
    ),
    Measure(
        "reintegration_rate",
        "Returned to mainstream school when the placement ended",
        "percent",
        lambda f: f.reintegration_rate,
        lambda f: f.reintegrated,
        lambda f: f.ended,
    ),
    Measure(
        "spend",
        "AP spend approved in the financial year to date",
        "gbp",
        lambda f: f.spend if f.spend_children else None,  # no approved invoices: no data
        lambda f: f.spend_children,
        lambda f: None,
        sums=True,
    ),
    Measure(
        "spend_per_child",
        "Approved spend per child",
        "gbp",
        lambda f: f.spend_per_child,
        lambda f: f.spend_children,
        lambda f: None,
    ),
    Measure(
        "budget_share",
        "High-needs spend as a share of the AP budget",
        "percent",
        lambda f: f.budget_share,
        lambda f: f.budgeted_children,
        lambda f: None,
    ),
]
BY_KEY = {m.key: m for m in MEASURES}


Hidden = frozenset[tuple[object, str]]  # (row key, measure key) of cells shown as "c"
NONE_HIDDEN: Hidden = frozenset()


def cell_value(
    measure: Measure, figures: LaFigures, *, key: object = None, hidden: Hidden = NONE_HIDDEN
) -> Number | None:
    """The measure's value for an LA or area, "c" if it rests on 1 to 4 children or would give
    one away (`hidden`, from `hidden_cells`)."""
    if (key, measure.key) in hidden and measure.value(figures) is not None:
        return suppression.SUPPRESSED
    return suppression.suppress_rate(
        measure.value(figures), measure.count(figures), measure.of(figures)
    )


def cell(
    measure: Measure, figures: LaFigures, *, key: object = None, hidden: Hidden = NONE_HIDDEN
) -> str:
    return format_value(
        cell_value(measure, figures, key=key, hidden=hidden), measure.unit, empty="–"
    )


def hidden_cells(
    areas: list[tuple[object, LaFigures, list[tuple[object, LaFigures]]]], england: LaFigures
) -> Hidden:
    """Secondary suppression for the regional table (see `suppression`): an area's figure is its
    LAs' added up and England's is the areas', so a lone "c" among an area's LAs (or a rate whose
    denominator leaves 1 to 4 children out) would be given back by subtraction. `areas` is
    (area key, area total, [(LA key, LA figures)]); England's row key is "england"."""
    hidden: set[tuple[object, str]] = set()
    for measure in MEASURES:
        additive = measure.unit == "count" or measure.of(england) is not None or measure.sums
        if not additive:
            continue
        cells: dict[object, suppression.Cell] = {}
        relations: list[suppression.Relation] = []

        def add(
            key: object,
            figures: LaFigures,
            measure: Measure = measure,
            cells: dict = cells,
            relations: list = relations,
        ) -> None:
            count, of = measure.count(figures), measure.of(figures)
            if of == 0:  # no denominator: shown as "–", which a reader knows means none
                cells[key] = suppression.Cell(0, fixed=True)
                return
            value = measure.value(figures) if measure.sums else count
            cells[key] = suppression.Cell(
                value or 0,
                sensitive=suppression.is_small(count) or suppression.is_small(of),
                at_least_one=not measure.sums,
            )
            if of is not None:
                cells[("of", key)] = suppression.Cell(of, fixed=True)
                cells[("rest", key)] = suppression.Cell(
                    of - count, published=False, sensitive=suppression.is_small(of - count)
                )
                relations.append(suppression.Relation(("of", key), (key, ("rest", key))))

        add("england", england)
        for area_key, total, las in areas:
            add(area_key, total)
            for la_key, figures in las:
                add(la_key, figures)
            relations.append(suppression.Relation(area_key, tuple(la_key for la_key, _ in las)))
        relations.append(
            suppression.Relation("england", tuple(area_key for area_key, _, _ in areas))
        )
        hidden |= {
            (key, measure.key)
            for key in suppression.protect(cells, relations)
            if key in cells and not isinstance(key, tuple)
        }
    return frozenset(hidden)


@dataclass(frozen=True)
class TableRow:
    label: str
    cells: list[str]
    kind: str = "la"  # "la", "total", "published"
    is_own: bool = False  # the signed-in LA manager's own LA


def row(
    label: str,
    figures: LaFigures,
    *,
    kind: str = "la",
    is_own: bool = False,
    key: object = None,
    hidden: Hidden = NONE_HIDDEN,
) -> TableRow:
    return TableRow(
        label, [cell(m, figures, key=key, hidden=hidden) for m in MEASURES], kind, is_own
    )


def published_row() -> TableRow:
    return TableRow(
        "Published national figures (see sources)", [m.published for m in MEASURES], "published"
    )


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


def difference(
    measure: Measure,
    first: LaFigures,
    second: LaFigures,
    *,
    keys: tuple[object, object] = (None, None),
    hidden: Hidden = NONE_HIDDEN,
) -> str:
    a = cell_value(measure, first, key=keys[0], hidden=hidden)
    b = cell_value(measure, second, key=keys[1], hidden=hidden)
    if a is None or b is None:
        return "–"
    if suppression.is_suppressed(a) or suppression.is_suppressed(b):
        return suppression.SUPPRESSED
    return format_change(a - b, measure.unit)


def comparison(
    first: LaFigures,
    second: LaFigures,
    area: LaFigures,
    england: LaFigures,
    *,
    keys: tuple[object, object, object] = (None, None, None),
    hidden: Hidden = NONE_HIDDEN,
) -> list[ComparisonLine]:
    """Two LAs measure by measure, with their difference, the area's and England's figures."""
    first_key, second_key, area_key = keys
    return [
        ComparisonLine(
            m.label,
            cell(m, first, key=first_key, hidden=hidden),
            cell(m, second, key=second_key, hidden=hidden),
            difference(m, first, second, keys=(first_key, second_key), hidden=hidden),
            cell(m, area, key=area_key, hidden=hidden),
            cell(m, england, key="england", hidden=hidden),
            m.published,
        )
        for m in MEASURES
    ]
