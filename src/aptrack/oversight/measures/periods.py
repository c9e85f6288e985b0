"""Reporting periods for the oversight dashboard and the committee pack.

Terms follow a simple, documented pattern (the same for every LA, so figures compare across
authorities): Autumn 1 Sep to 31 Dec, Spring 1 Jan to 31 Mar, Summer 1 Apr to 31 Aug. The
academic year runs 1 Sep to 31 Aug. Holidays fall inside these spans on purpose: a placement
or a referral in the Christmas holiday still belongs to a period.

A period is chosen on a GET form: ``?period=this-term`` (a preset) or
``?period=custom&start=2026-09-01&end=2026-11-23`` (ISO dates, or ``start-day``/``start-month``/
``start-year`` from a GOV.UK date input).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

TERM_NAMES = ("Autumn", "Spring", "Summer")

PRESET_THIS_TERM = "this-term"
PRESET_LAST_TERM = "last-term"
PRESET_THIS_YEAR = "this-year"
PRESET_LAST_YEAR = "last-year"
PRESET_CUSTOM = "custom"
DEFAULT_PRESET = PRESET_THIS_YEAR

# Error messages (the GOV.UK pattern: say what is wrong and how to fix it).
ERROR_UNKNOWN_PERIOD = "Select a period"
ERROR_START_MISSING = "Enter the start date of the period"
ERROR_END_MISSING = "Enter the end date of the period"
ERROR_START_INVALID = "Start date must be a real date, for example 1 9 2026"
ERROR_END_INVALID = "End date must be a real date, for example 23 11 2026"
ERROR_END_BEFORE_START = "End date must be the same as or after the start date"
ERROR_TOO_LONG = "The period must be 5 years or shorter"

MAX_DAYS = 5 * 366


class PeriodError(ValueError):
    """The period form is invalid; ``errors`` maps a field name (period, start, end) to a message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def academic_year_of(day: dt.date) -> int:
    """The year the academic year containing ``day`` starts (2026 for 2026/27)."""
    return day.year if day.month >= 9 else day.year - 1


def _term_bounds(academic_year: int, index: int) -> tuple[dt.date, dt.date]:
    if index == 0:
        return dt.date(academic_year, 9, 1), dt.date(academic_year, 12, 31)
    if index == 1:
        return dt.date(academic_year + 1, 1, 1), dt.date(academic_year + 1, 3, 31)
    return dt.date(academic_year + 1, 4, 1), dt.date(academic_year + 1, 8, 31)


def _term_index(day: dt.date) -> int:
    if day.month >= 9:
        return 0
    if day.month <= 3:
        return 1
    return 2


def _fmt(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive
    label: str

    @classmethod
    def term(cls, academic_year: int, index: int) -> Period:
        start, end = _term_bounds(academic_year, index)
        return cls(start, end, f"{TERM_NAMES[index]} term {start.year}")

    @classmethod
    def term_containing(cls, day: dt.date) -> Period:
        return cls.term(academic_year_of(day), _term_index(day))

    @classmethod
    def academic_year(cls, year: int) -> Period:
        return cls(
            dt.date(year, 9, 1),
            dt.date(year + 1, 8, 31),
            f"Academic year {year}/{(year + 1) % 100:02d}",
        )

    @classmethod
    def custom(cls, start: dt.date, end: dt.date) -> Period:
        return cls(start, end, f"{_fmt(start)} to {_fmt(end)}")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def is_term(self) -> bool:
        return self == Period.term_containing(self.start)

    def is_academic_year(self) -> bool:
        return self == Period.academic_year(academic_year_of(self.start))

    def to_date(self, today: dt.date) -> dt.date:
        """The last day of the period that has happened (the period end, or today if earlier)."""
        return min(self.end, today)

    def previous_term(self) -> Period:
        """The term before the one this period starts in (for "change against last term")."""
        year, index = academic_year_of(self.start), _term_index(self.start)
        if index == 0:
            return Period.term(year - 1, 2)
        return Period.term(year, index - 1)

    def previous_year(self) -> Period:
        """The same span one year earlier (an academic year gives the academic year before)."""
        if self.is_academic_year():
            return Period.academic_year(academic_year_of(self.start) - 1)
        if self.is_term():
            return Period.term(academic_year_of(self.start) - 1, _term_index(self.start))
        return Period.custom(_year_earlier(self.start), _year_earlier(self.end))

    def query(self) -> dict[str, str]:
        """GET parameters that select exactly this period again (for links and drill-downs)."""
        return {
            "period": PRESET_CUSTOM,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
        }


def _year_earlier(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def period_choices(today: dt.date) -> list[tuple[str, Period]]:
    """The presets offered on the period form, in order. Custom uses today's term as its default."""
    this_term = Period.term_containing(today)
    year = academic_year_of(today)
    return [
        (PRESET_THIS_TERM, this_term),
        (PRESET_LAST_TERM, this_term.previous_term()),
        (PRESET_THIS_YEAR, Period.academic_year(year)),
        (PRESET_LAST_YEAR, Period.academic_year(year - 1)),
        (PRESET_CUSTOM, Period.custom(this_term.start, today)),
    ]


def _parse_date(query: Mapping[str, str], name: str) -> dt.date | None:
    """An ISO date in ``name``, or the three GOV.UK date input parts; None when all are blank."""
    whole = (query.get(name) or "").strip()
    parts = [(query.get(f"{name}-{p}") or "").strip() for p in ("day", "month", "year")]
    if whole:
        return dt.date.fromisoformat(whole)
    if not any(parts):
        return None
    day, month, year = (int(p) for p in parts)
    if year < 1000:
        raise ValueError("year must have 4 digits")
    return dt.date(year, month, day)


def parse_period(query: Mapping[str, str], today: dt.date) -> Period:
    """The period chosen on the form; no ``period`` gives the default. Raises PeriodError."""
    preset = (query.get("period") or DEFAULT_PRESET).strip()
    choices = dict(period_choices(today))
    if preset not in choices:
        raise PeriodError({"period": ERROR_UNKNOWN_PERIOD})
    if preset != PRESET_CUSTOM:
        return choices[preset]
    errors: dict[str, str] = {}
    bounds: dict[str, dt.date | None] = {}
    for name, missing, invalid in (
        ("start", ERROR_START_MISSING, ERROR_START_INVALID),
        ("end", ERROR_END_MISSING, ERROR_END_INVALID),
    ):
        try:
            bounds[name] = _parse_date(query, name)
        except ValueError:
            errors[name] = invalid
            continue
        if bounds[name] is None:
            errors[name] = missing
    if errors:
        raise PeriodError(errors)
    start, end = bounds["start"], bounds["end"]
    assert start is not None and end is not None
    if end < start:
        raise PeriodError({"end": ERROR_END_BEFORE_START})
    if (end - start).days + 1 > MAX_DAYS:
        raise PeriodError({"end": ERROR_TOO_LONG})
    return Period.custom(start, end)


def preset_for(period: Period, today: dt.date) -> str:
    """The preset that gives ``period`` today, or custom."""
    for key, choice in period_choices(today)[:-1]:
        if choice == period:
            return key
    return PRESET_CUSTOM
