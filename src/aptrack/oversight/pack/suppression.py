"""Disclosure control for anything published (DfE convention: "c" for confidential).

Primary suppression: a count of 1 to 4 children, and any figure derived from 1 to 4 children (a
rate whose numerator, denominator or complement is 1 to 4, an average), is shown as "c". Zero is
shown: nobody can be identified from nobody (but 0% of 3 children is suppressed: its denominator
is small).

Secondary suppression: a "c" is no use if the reader can work it out again by subtraction: from
the total a breakdown's rows add up to (Sex "not known" = 388 - 117 - 268), from a rate and its
denominator (13 children at 92.3% leaves 1 without provision), or from a figure that is the sum
of some rows (destinations). Following the Government Statistical Service guidance on disclosure
control for tables produced from administrative sources (GSS, "Statistical Disclosure Control",
https://gss.civilservice.gov.uk/guidances/methodology/statistical-disclosure-control/: protect
small cells with secondary suppression of the next smallest cells so that no suppressed cell can
be recovered by differencing), every published number is put into the linear relations a reader
can see (`Relation`: a total and the parts that add up to it), an attacker solves them as far as
they go (`recoverable`), and while any small number can be worked out the next smallest
published part of the relation that reveals it is suppressed too (`protect`). A "c" may
therefore hide a larger number; the publication notes say so.

When no other part is left to suppress (a very small LA: every row of a breakdown rests on one
child, or there is a single row), the total goes too, as the DfE and ONS do with a total that would
give its cells away: a breakdown's total (the children it divides, printed as its "% of" column)
is left out of the publication copy, every row shows "c", and the breakdown's note says why
(`WITHHELD_TOTAL_NOTE`). A total of 1 to 4 children is itself suppressed. Suppression never fails:
a number shown "whatever happens" (`Cell.fixed`) is hidden as a last resort rather than let a small
number be worked out.
"""

import dataclasses
from collections.abc import Hashable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, Literal

from aptrack.oversight.measures.catalogue import Dashboard, Figure, Number, Row

if TYPE_CHECKING:
    from typing_extensions import TypeIs

SUPPRESSED: Final = "c"
THRESHOLD = 5
WITHHELD_TOTAL_NOTE = (
    'The total is not shown and every row is "c": with so few children, any of them would let a '
    "reader work out a suppressed number."
)


def is_small(count: int | None, *, threshold: int = THRESHOLD) -> bool:
    """Whether a figure behind `count` children must be suppressed (0 < count < threshold)."""
    return count is not None and 0 < count < threshold


def suppress(
    value: Number | None, count: int | None, *, threshold: int = THRESHOLD
) -> Number | None:
    """The value to publish: "c" when the figure rests on 1 to threshold-1 children."""
    return SUPPRESSED if is_small(count, threshold=threshold) else value


def suppress_count(count: int | None, *, threshold: int = THRESHOLD) -> int | Literal["c"] | None:
    """A count of children, suppressed if small."""
    return SUPPRESSED if is_small(count, threshold=threshold) else count


def is_suppressed(value: object) -> "TypeIs[Literal['c']]":
    return value == SUPPRESSED


def suppress_rate(
    value: Number | None, count: int | None, of: int | None, *, threshold: int = THRESHOLD
) -> Number | None:
    """A percentage of `of` children, `count` of whom are counted: "c" if either is small."""
    if is_small(count, threshold=threshold) or is_small(of, threshold=threshold):
        return SUPPRESSED
    return value


def suppress_figure(figure: Figure, *, threshold: int = THRESHOLD) -> Figure:
    """A Figure with its value replaced by "c" when its count (or, for a percentage, the
    children it is a percentage of) is small. The count is kept for tests and for working out
    changes; nothing that renders a publication copy shows it."""
    value = suppress_rate(
        figure.value,
        figure.count,
        getattr(figure, "of", None) if figure.unit == "percent" else None,
        threshold=threshold,
    )
    if value is figure.value:
        return figure
    return dataclasses.replace(figure, value=value)


def suppress_row(row: Row, *, threshold: int = THRESHOLD) -> Row:
    """A breakdown Row with its value replaced by "c" when its count is small."""
    value = suppress(row.value, row.count, threshold=threshold)
    if value is row.value or value is None:  # None: never, a row has a value
        return row
    return dataclasses.replace(row, value=value)


# --- secondary suppression -----------------------------------------------------------------------

CellId = Hashable


@dataclass(frozen=True)
class Cell:
    """A number a reader can see, or could work out.

    `published`: shown unless suppressed (False for a number only implied, such as the children
    without provision behind a percentage). `sensitive`: it rests on 1 to 4 children, so it must
    never be recoverable. `fixed`: shown whatever happens (a cohort total printed as a heading).
    `at_least_one`: a reader knows a "c" here is at least 1 (counts of children: zero is shown).
    """

    value: int | Decimal
    published: bool = True
    sensitive: bool = False
    fixed: bool = False
    at_least_one: bool = True


@dataclass(frozen=True)
class Relation:
    """`total` = the sum of `parts`, as a reader can see from the page."""

    total: CellId
    parts: tuple[CellId, ...]


def recoverable(
    cells: dict[CellId, Cell], relations: list[Relation], suppressed: set[CellId]
) -> set[CellId]:
    """Every cell a reader can work out from what is shown: a relation with one unknown gives it
    away, and so does one whose unknown parts are all "c" and add up to exactly one each."""
    known = {key for key, cell in cells.items() if cell.published and key not in suppressed}
    changed = True
    while changed:
        changed = False
        for relation in relations:
            unknown = [key for key in (relation.total, *relation.parts) if key not in known]
            if not unknown:
                continue
            if len(unknown) == 1:
                known.add(unknown[0])
                changed = True
            elif relation.total in known and all(
                cells[key].published and cells[key].at_least_one for key in unknown
            ):
                rest = cells[relation.total].value - sum(
                    cells[key].value for key in relation.parts if key in known
                )
                if rest == len(unknown):
                    known.update(unknown)
                    changed = True
    return known


def protect(cells: dict[CellId, Cell], relations: list[Relation]) -> set[CellId]:
    """The cells to show as "c": the small ones, then, while a reader could still work a small
    number out, the smallest other published part of a relation that gives it away (a zero or the
    total only when nothing else is left; a fixed number, such as a breakdown's total, only when
    no other number is left at all). Never fails: the returned set may hold fixed cells, which the
    caller must then leave out."""
    suppressed = {key for key, cell in cells.items() if cell.published and cell.sensitive}
    while True:
        known = recoverable(cells, relations, suppressed)
        leaked = [
            key
            for key, cell in cells.items()
            if cell.sensitive and key in known and (key in suppressed or not cell.published)
        ]
        if not leaked:
            return suppressed
        choice = _next_to_suppress(cells, relations, suppressed, leaked[0])
        if choice is None:
            choice = _next_to_suppress(cells, relations, suppressed, leaked[0], fixed_too=True)
        if choice is None:
            # Nothing related is left to hide (a relation that gives a number away on its own):
            # hide every number, so that nothing can be worked out from what is shown.
            return suppressed | {key for key, cell in cells.items() if cell.published}
        suppressed.add(choice)


def _next_to_suppress(
    cells: dict[CellId, Cell],
    relations: list[Relation],
    suppressed: set[CellId],
    leaked: CellId,
    *,
    fixed_too: bool = False,
) -> CellId | None:
    def candidates(relation: Relation, *, with_total: bool) -> list[CellId]:
        keys = [*relation.parts, relation.total] if with_total else list(relation.parts)
        return [
            key
            for key in keys
            if key != leaked
            and key not in suppressed
            and cells[key].published
            and (fixed_too or not cells[key].fixed)
        ]

    # Nearest first: the relations that hold the leaked cell, then those that hold the cells a
    # reader uses to work those out, and so on.
    frontier, visited = {leaked}, {leaked}
    while frontier:
        related = [r for r in relations if r.total in frontier or frontier.intersection(r.parts)]
        for with_total in (False, True):
            pool = [
                key for relation in related for key in candidates(relation, with_total=with_total)
            ]
            if pool:
                # The smallest non-zero part loses least; a zero only when there is no other.
                return min(
                    pool, key=lambda key: (cells[key].value == 0, cells[key].value, str(key))
                )
        frontier = {key for r in related for key in (r.total, *r.parts)} - visited
        visited |= frontier
    return None


# Which figure a breakdown's rows add up to, when it is not the breakdown's own total.
BREAKDOWN_TOTALS = {
    "destinations": "placements_ended",
    "referrals_by_month": "referrals_in_period",
    "placements_by_month": "placements_started",
    "spend_by_tier": "spend_to_date",
    "spend_by_provider": "spend_to_date",
    # Spend against the AP budget (`measures.budget`): every placement is in one row of each.
    "forecast_by_funder": "forecast_spend",
    "forecast_by_tier": "forecast_spend",
    "forecast_by_route": "forecast_spend",
    "forecast_by_provider_type": "forecast_spend",
    "forecast_by_provider": "forecast_spend",
}
# A percentage whose denominator and complement are figures of their own: key -> (of, complement).
RATE_PARTS = {
    "sixth_day_compliance": ("permanent_exclusions", "sixth_day_missed"),
    "reintegration_rate": ("placements_ended", None),
}
# A figure that is the sum of some of a breakdown's rows: key -> (breakdown, row values).
ROW_SUBSETS = {
    "neet_destinations": ("destinations", ("NEET", "CME")),
    "reintegration_rate": ("destinations", ("HOME_SCHOOL", "NEW_MAINSTREAM")),
}
ADDITIVE_UNITS = ("count", "gbp")


def _row_value(row: Any) -> str | None:
    from urllib.parse import parse_qs

    values = parse_qs(row.drilldown or "").get("value")
    return values[0] if values else None


def dashboard_relations(
    dashboard: Any, *, threshold: int = THRESHOLD
) -> tuple[dict[CellId, Cell], list[Relation]]:
    """The dashboard's numbers as cells and the sums a reader can see between them."""
    cells: dict[CellId, Cell] = {}
    relations: list[Relation] = []
    for section in dashboard.sections:
        for figure in section.figures:
            if figure.value is None or figure.count is None:
                continue
            small = is_small(figure.count, threshold=threshold)
            if figure.unit == "percent" and figure.of is not None:
                # The rate and its denominator give away the children counted, and the rest.
                cells[("figure", figure.key)] = Cell(
                    figure.count, sensitive=small or is_small(figure.of, threshold=threshold)
                )
                of_key, rest_key = RATE_PARTS.get(figure.key, (None, None))
                total = ("figure", of_key) if of_key else ("of", figure.key)
                rest = ("figure", rest_key) if rest_key else ("rest", figure.key)
                cells.setdefault(total, Cell(figure.of, fixed=True))
                cells.setdefault(
                    rest,
                    Cell(
                        figure.of - figure.count,
                        published=False,
                        sensitive=is_small(figure.of - figure.count, threshold=threshold),
                    ),
                )
                relations.append(Relation(total, (("figure", figure.key), rest)))
            elif figure.unit in ADDITIVE_UNITS:
                cells[("figure", figure.key)] = Cell(
                    figure.value, sensitive=small, at_least_one=figure.unit == "count"
                )
    for section in dashboard.sections:
        for breakdown in section.breakdowns:
            if breakdown.unit not in ADDITIVE_UNITS:
                continue
            parts = []
            for index, row in enumerate(breakdown.rows):
                key = ("row", breakdown.key, index)
                cells[key] = Cell(
                    row.value,
                    sensitive=is_small(row.count, threshold=threshold),
                    at_least_one=breakdown.unit == "count",
                )
                parts.append(key)
            total_key: CellId | None = None
            if ("figure", BREAKDOWN_TOTALS.get(breakdown.key)) in cells:
                total_key = ("figure", BREAKDOWN_TOTALS[breakdown.key])
            elif breakdown.total is not None:
                total_key = ("total", breakdown.key)
                # The children the rows divide: a count like any other, so 1 to 4 is "c" too.
                cells[total_key] = Cell(
                    breakdown.total,
                    fixed=True,
                    sensitive=is_small(breakdown.total, threshold=threshold),
                )
            if total_key is not None:
                relations.append(Relation(total_key, tuple(parts)))
    for figure_key, (breakdown_key, values) in ROW_SUBSETS.items():
        breakdown = dashboard.breakdown(breakdown_key)
        if ("figure", figure_key) not in cells or breakdown is None:
            continue
        subset = tuple(
            ("row", breakdown_key, index)
            for index, row in enumerate(breakdown.rows)
            if _row_value(row) in values
        )
        if subset:  # no such rows: the relation says nothing a reader could use
            relations.append(Relation(("figure", figure_key), subset))
    return cells, relations


def suppress_dashboard(dashboard: Dashboard, *, threshold: int = THRESHOLD) -> Dashboard:
    """The publication copy of a dashboard: every small figure and breakdown row shows "c", and
    so does every other number that would let a reader work one of them out (see the module).

    Works on the frozen dataclasses of `measures` (Dashboard → Section → Figure/Breakdown →
    Row) and leaves the original untouched.
    """
    cells, relations = dashboard_relations(dashboard, threshold=threshold)
    hidden = protect(cells, relations)

    def figure_copy(figure: Any) -> Any:
        figure = suppress_figure(figure, threshold=threshold)
        if ("figure", figure.key) in hidden and not is_suppressed(figure.value):
            return dataclasses.replace(figure, value=SUPPRESSED)
        return figure

    def rows_copy(breakdown: Any) -> list[Any]:
        withheld = ("total", breakdown.key) in hidden
        rows = []
        for index, row in enumerate(breakdown.rows):
            row = suppress_row(row, threshold=threshold)
            if (withheld or ("row", breakdown.key, index) in hidden) and not is_suppressed(
                row.value
            ):
                row = dataclasses.replace(row, value=SUPPRESSED)
            rows.append(row)
        return rows

    def breakdown_copy(breakdown: Any) -> Any:
        if ("total", breakdown.key) not in hidden:
            return dataclasses.replace(breakdown, rows=rows_copy(breakdown))
        note = f"{breakdown.note} {WITHHELD_TOTAL_NOTE}".strip()
        return dataclasses.replace(breakdown, rows=rows_copy(breakdown), total=None, note=note)

    sections = [
        dataclasses.replace(
            section,
            figures=[figure_copy(figure) for figure in section.figures],
            breakdowns=[breakdown_copy(breakdown) for breakdown in section.breakdowns],
        )
        for section in dashboard.sections
    ]
    return dataclasses.replace(dashboard, sections=sections)
