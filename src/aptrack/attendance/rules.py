"""The rules a mark must pass, whichever way it comes in: the register page, a file, the API.

Each rule on one value is a pure function here, applied once to every distinct value a batch
holds (`loading` joins the answers back onto the rows). Rules across values (the child is
placed with this provider on that date, the date is a school day for that placement's LA,
rows for the same session agree) are set-based in `loading`, with their reasons defined here.
The reason texts are module constants so tests can import them.
"""

import datetime as dt
import enum
from dataclasses import dataclass
from typing import Generic, TypeVar

from aptrack.attendance import codes
from aptrack.calendars.engine import SchoolCalendar
from aptrack.children import upn as upns


class Column(enum.StrEnum):
    """The parts of a mark a problem can be in. Channels name them their own way."""

    UPN = "upn"
    DATE = "date"
    SESSION = "session"
    CODE = "code"
    MINUTES_LATE = "minutes_late"
    COMMENT = "comment"


# How the documented CSV file names each column (its header row).
CSV_HEADINGS: dict[Column, str] = {
    Column.UPN: "UPN",
    Column.DATE: "Date",
    Column.SESSION: "Session",
    Column.CODE: "Code",
    Column.MINUTES_LATE: "Minutes late",
    Column.COMMENT: "Comment",
}

MAX_COMMENT_LENGTH = 500
MAX_MINUTES_LATE = 240  # a session is about half a day
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")

# Reasons. `{value}` is what was sent, shortened.
UPN_MISSING = "Enter the child's UPN"
UPN_INVALID = "{value} is not a valid UPN: {detail}"
UPN_UNKNOWN = "{value}: no child with this UPN is placed with this provider"
NOT_PLACED = "The child is not placed with this provider on {date}"
DATE_MISSING = "Enter the date"
DATE_INVALID = "{value} is not a date: write it as YYYY-MM-DD or DD/MM/YYYY"
DATE_IN_FUTURE = "{date} is in the future"
DATE_WEEKEND = "{date} is a {weekday}, not a school day"
DATE_CLOSED = "{date} is not a school day: {closure}"
DATE_HOLIDAY = "{date} is not a school day: it is in the school holidays"
DATE_NO_TERMS = "{date} is not a school day: no term dates are recorded for it"
SESSION_INVALID = "{value} is not a session: use AM or PM"
CODE_MISSING = "Enter the attendance code"
CODE_UNKNOWN = "{value} is not an attendance code in use since August 2024"
CODE_WITHDRAWN = "{value} was withdrawn in August 2024: {instead}"
CODE_X_COMPULSORY_AGE = (
    "X is only for a child below or above compulsory school age: on {date} this child is of "
    "compulsory school age, so record the reason they were absent instead"
)
MINUTES_INVALID = "{value} is not a number of minutes late: use a whole number from 0 to {maximum}"
MINUTES_NOT_LATE = "Minutes late go only with code L or U"
COMMENT_TOO_LONG = "The comment must be {maximum} characters or fewer"
DUPLICATE_DISAGREES = "The same child, date and session is on row {first} with a different mark"
FIELD_COUNT = "The row has {found} fields; the header has {expected}"

WITHDRAWN_CODES = {
    "H": "record the sessions as absence (G for a holiday not granted)",
    "J": "use J1 for an interview",
    "Y": "use the Y1 to Y7 code that fits",
}


def shown(value: str, limit: int = 40) -> str:
    """A value quoted for a message, shortened so a hostile value cannot flood a report."""
    value = value.strip()
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    return f"“{value}”"


def uk_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


T = TypeVar("T")


@dataclass(frozen=True)
class Checked(Generic[T]):
    """A value read from what was sent, or the reason it cannot be."""

    value: T | None
    reason: str | None = None


def read_upn(raw: str, children_by_upn: dict[str, int]) -> Checked[int]:
    """The child a UPN names, among the children this provider has ever had placed with it."""
    if not raw.strip():
        return Checked(None, UPN_MISSING)
    try:
        parsed = upns.parse(raw)
    except upns.InvalidUPN as error:
        return Checked(None, UPN_INVALID.format(value=shown(raw), detail=str(error)))
    child_id = children_by_upn.get(parsed.upn)
    if child_id is None:
        return Checked(None, UPN_UNKNOWN.format(value=shown(raw)))
    return Checked(child_id)


def read_date(raw: str, today: dt.date) -> Checked[dt.date]:
    text = raw.strip()
    if not text:
        return Checked(None, DATE_MISSING)
    for date_format in DATE_FORMATS:
        try:
            day = dt.datetime.strptime(text, date_format).date()  # noqa: DTZ007 - a date only
        except ValueError:
            continue
        if day > today:
            return Checked(None, DATE_IN_FUTURE.format(date=uk_date(day)))
        return Checked(day)
    return Checked(None, DATE_INVALID.format(value=shown(raw)))


def read_session(raw: str) -> Checked[str]:
    session = raw.strip().upper()
    if session in ("AM", "PM"):
        return Checked(session)
    return Checked(None, SESSION_INVALID.format(value=shown(raw)))


def read_code(raw: str) -> Checked[str]:
    """A code from the table, matched exactly, else ignoring case ("c2" is C2)."""
    text = raw.strip()
    if not text:
        return Checked(None, CODE_MISSING)
    for candidate in (text, text.upper()):
        if candidate in codes.BY_CODE:
            return Checked(candidate)
    instead = WITHDRAWN_CODES.get(text.upper())
    if instead:
        return Checked(None, CODE_WITHDRAWN.format(value=shown(raw), instead=instead))
    return Checked(None, CODE_UNKNOWN.format(value=shown(raw)))


def read_minutes_late(raw: str) -> Checked[int]:
    text = raw.strip()
    if not text:
        return Checked(None)
    if text.isdigit() and text.isascii() and int(text) <= MAX_MINUTES_LATE:
        return Checked(int(text))
    return Checked(None, MINUTES_INVALID.format(value=shown(raw), maximum=MAX_MINUTES_LATE))


def school_day_reason(
    calendar: SchoolCalendar, day: dt.date, closures: dict[dt.date, str]
) -> str | None:
    """Why `day` is not a school day on this calendar, or None if it is one.

    `closures` describes the calendar's closure days ("bank holiday: Christmas Day")."""
    if calendar.is_school_day(day):
        return None
    date = uk_date(day)
    if day.weekday() >= 5:
        return DATE_WEEKEND.format(date=date, weekday=f"{day:%A}")
    if day in calendar.closures:
        return DATE_CLOSED.format(date=date, closure=closures.get(day, "a closure day"))
    if not calendar.terms or not calendar.terms[0][0] <= day <= max(
        end for _, end in calendar.terms
    ):
        return DATE_NO_TERMS.format(date=date)
    return DATE_HOLIDAY.format(date=date)


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of the week `day` is in: the rollups' week."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


@dataclass(frozen=True)
class RowError:
    """One problem: in a row (counted as the sender counts them) and column, or in the whole
    batch when `row` is None."""

    row: int | None
    column: Column | None
    reason: str

    def describe(self, source: str, headings: dict[Column, str] = CSV_HEADINGS) -> str:
        where = source if self.row is None else f"{source} row {self.row}"
        if self.column is not None:
            where += f", {headings[self.column]}"
        return f"{where}: {self.reason}"
