"""Small-number suppression for anything published (DfE convention: "c" for confidential).

A count of 1 to 4 children, and any figure derived from 1 to 4 children (a rate whose
numerator or denominator is 1 to 4, an average), is shown as "c". Zero is shown: nobody can be
identified from nobody (but 0% of 3 children is suppressed: its denominator is small). Only primary
suppression is applied: a reader with several published tables may still be able to work a
suppressed cell out from totals, so packs for publication suppress every small count at source
rather than leave a total that differences would reveal.
"""

import dataclasses
from decimal import Decimal
from typing import Any, TypeVar

SUPPRESSED = "c"
THRESHOLD = 5

T = TypeVar("T")


def is_small(count: int | None, *, threshold: int = THRESHOLD) -> bool:
    """Whether a figure behind `count` children must be suppressed (0 < count < threshold)."""
    return count is not None and 0 < count < threshold


def suppress(
    value: int | Decimal | None, count: int | None, *, threshold: int = THRESHOLD
) -> int | Decimal | str | None:
    """The value to publish: "c" when the figure rests on 1 to threshold-1 children."""
    return SUPPRESSED if is_small(count, threshold=threshold) else value


def suppress_count(count: int | None, *, threshold: int = THRESHOLD) -> int | str | None:
    """A count of children, suppressed if small."""
    return SUPPRESSED if is_small(count, threshold=threshold) else count


def is_suppressed(value: Any) -> bool:
    return value == SUPPRESSED


def suppress_rate(
    value: int | Decimal | None, count: int | None, of: int | None, *, threshold: int = THRESHOLD
) -> int | Decimal | str | None:
    """A percentage of `of` children, `count` of whom are counted: "c" if either is small."""
    if is_small(count, threshold=threshold) or is_small(of, threshold=threshold):
        return SUPPRESSED
    return value


def suppress_figure(figure: T, *, threshold: int = THRESHOLD) -> T:
    """A Figure with its value replaced by "c" when its count (or, for a percentage, the
    children it is a percentage of) is small. The count is kept for tests and for working out
    changes; nothing that renders a publication copy shows it."""
    value = suppress_rate(
        figure.value,  # type: ignore[attr-defined]
        figure.count,  # type: ignore[attr-defined]
        getattr(figure, "of", None) if figure.unit == "percent" else None,  # type: ignore[attr-defined]
        threshold=threshold,
    )
    if value is figure.value:  # type: ignore[attr-defined]
        return figure
    return dataclasses.replace(figure, value=value)  # type: ignore[type-var]


def suppress_row(row: T, *, threshold: int = THRESHOLD) -> T:
    """A breakdown Row with its value replaced by "c" when its count is small."""
    value = suppress(row.value, row.count, threshold=threshold)  # type: ignore[attr-defined]
    if value is row.value:  # type: ignore[attr-defined]
        return row
    return dataclasses.replace(row, value=value)  # type: ignore[type-var]


def suppress_dashboard(dashboard: T, *, threshold: int = THRESHOLD) -> T:
    """The publication copy of a dashboard: every small figure and breakdown row shows "c".

    Works on the frozen dataclasses of `measures` (Dashboard → Section → Figure/Breakdown →
    Row) and leaves the original untouched.
    """
    sections = [
        dataclasses.replace(
            section,
            figures=[suppress_figure(figure, threshold=threshold) for figure in section.figures],
            breakdowns=[
                dataclasses.replace(
                    breakdown,
                    rows=[suppress_row(row, threshold=threshold) for row in breakdown.rows],
                )
                for breakdown in section.breakdowns
            ],
        )
        for section in dashboard.sections  # type: ignore[attr-defined]
    ]
    return dataclasses.replace(dashboard, sections=sections)  # type: ignore[type-var]
