"""Reading providers' invoice lines, from a CSV file or the API, into checked values. Every
problem is named by row, column and reason; one problem and nothing is recorded.

CSV columns, exactly: invoice_number, invoice_date, upn, service_from, service_to, unit,
quantity, unit_rate, net_amount, vat_amount (unit: session, day, hour or week). UTF-8 (with or
without a byte-order mark) or Windows-1252; dates YYYY-MM-DD or DD/MM/YYYY. One file may hold
several invoices: its lines are grouped by invoice number."""

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from aptrack.commissioning.states import INVOICE_UNITS

COLUMNS = (
    "invoice_number",
    "invoice_date",
    "upn",
    "service_from",
    "service_to",
    "unit",
    "quantity",
    "unit_rate",
    "net_amount",
    "vat_amount",
)
DATE_COLUMNS = ("invoice_date", "service_from", "service_to")
NUMBER_COLUMNS = ("quantity", "unit_rate", "net_amount", "vat_amount")
# Within the database's columns (9 digits, 2 after the point, for rates and quantities).
MAX_NUMBER = Decimal("9999999.99")

BAD_ENCODING = "The file is neither UTF-8 nor Windows-1252 text"
EMPTY_FILE = "The file is empty: the first row must name the columns"
MISSING_COLUMN = "Column {column} is missing: the first row must name every column"
BAD_DATE = "{value!r} is not a date: write YYYY-MM-DD or DD/MM/YYYY"
BAD_NUMBER = "{value!r} is not a number"
NEGATIVE = "{value!r} is below zero"
QUANTITY_ZERO = "The quantity must be more than zero"
TOO_BIG = "{value!r} is too large"
TOO_PRECISE = "{value!r} has more than two decimal places"
BAD_UNIT = "{value!r} is not a unit: write session, day, hour or week"
BLANK = "This column is empty"
TOO_LONG = "{value!r} is longer than {limit} characters"
DATES_REVERSED = "service_to is before service_from"
DATE_DIFFERS = "Invoice {number} is dated {first} on an earlier row: one date an invoice"
DUPLICATE_NUMBER = "Invoice number {number} was already received from this provider"


@dataclass(frozen=True)
class Problem:
    row: int | None  # the file's row, the header being row 1; on the API, the line's position
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = f"Row {self.row}" if self.row is not None else "Whole file"
        return (
            f"{where}, {self.column}: {self.reason}" if self.column else f"{where}: {self.reason}"
        )


class InvoiceFileRejected(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems[:5]))


@dataclass(frozen=True)
class LineIn:
    row: int
    invoice_number: str
    invoice_date: dt.date
    upn: str
    service_from: dt.date
    service_to: dt.date
    unit: str
    quantity: Decimal
    unit_rate: Decimal
    net_amount: Decimal
    vat_amount: Decimal


def weekdays(start: dt.date, end: dt.date) -> int:
    """Monday-to-Friday days from start to end inclusive."""
    days = (end - start).days + 1
    whole, rest = divmod(days, 7)
    count = whole * 5
    for i in range(rest):
        if (start.weekday() + whole * 7 + i) % 7 < 5:
            count += 1
    return count


def read_date(value: str) -> dt.date | None:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()  # noqa: DTZ007 (a date, no time)
        except ValueError:
            continue
    return None


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            raise InvoiceFileRejected([Problem(None, None, BAD_ENCODING)]) from None


def read_csv(data: bytes) -> list[LineIn]:
    """The checked lines of a CSV file, or InvoiceFileRejected naming every problem."""
    reader = csv.DictReader(io.StringIO(decode(data), newline=""))
    if reader.fieldnames is None:
        raise InvoiceFileRejected([Problem(None, None, EMPTY_FILE)])
    names = [name.strip().lower() for name in reader.fieldnames]
    missing = [column for column in COLUMNS if column not in names]
    if missing:
        raise InvoiceFileRejected(
            [Problem(1, column, MISSING_COLUMN.format(column=column)) for column in missing]
        )
    reader.fieldnames = names
    return read_rows((row for row in reader), first_row=2)


def _number(value: str, column: str) -> tuple[Decimal | None, str | None]:
    try:
        number = Decimal(value.replace(",", "").lstrip("£"))
    except InvalidOperation:
        return None, BAD_NUMBER.format(value=value)
    if not number.is_finite():
        return None, BAD_NUMBER.format(value=value)
    if number < 0:
        return None, NEGATIVE.format(value=value)
    if abs(number) > MAX_NUMBER:
        return None, TOO_BIG.format(value=value)
    if number != number.quantize(Decimal("0.01")):
        return None, TOO_PRECISE.format(value=value)
    if column == "quantity" and number == 0:
        return None, QUANTITY_ZERO
    return number, None


def read_rows(rows: Iterable[Mapping[str, str | None]], *, first_row: int = 1) -> list[LineIn]:
    """Check each row's values; all problems at once, or the lines."""
    problems: list[Problem] = []
    lines: list[LineIn] = []
    dated: dict[str, dt.date] = {}
    for row_number, row in enumerate(rows, start=first_row):
        values = {column: (row.get(column) or "").strip() for column in COLUMNS}
        found: dict[str, Any] = {}  # each column's value: a date, a Decimal, a unit or text
        for column, value in values.items():
            reason = None
            if not value:
                reason = BLANK
            elif column in DATE_COLUMNS:
                found[column] = read_date(value)
                if found[column] is None:
                    reason = BAD_DATE.format(value=value)
            elif column in NUMBER_COLUMNS:
                found[column], reason = _number(value, column)
            elif column == "unit":
                found[column] = INVOICE_UNITS.get(value.lower())
                if found[column] is None:
                    reason = BAD_UNIT.format(value=value)
            else:
                limit = 13 if column == "upn" else 50
                found[column] = value.upper().replace(" ", "") if column == "upn" else value
                if len(str(found[column])) > limit:
                    reason = TOO_LONG.format(value=value, limit=limit)
            if reason:
                problems.append(Problem(row_number, column, reason))
        if any(p.row == row_number for p in problems[-len(COLUMNS) :]):
            continue
        if found["service_to"] < found["service_from"]:
            problems.append(Problem(row_number, "service_to", DATES_REVERSED))
            continue
        number = str(found["invoice_number"])
        first = dated.setdefault(number, found["invoice_date"])
        if first != found["invoice_date"]:
            problems.append(
                Problem(row_number, "invoice_date", DATE_DIFFERS.format(number=number, first=first))
            )
            continue
        lines.append(LineIn(row=row_number, **found))
    if problems:
        raise InvoiceFileRejected(problems)
    if not lines:
        raise InvoiceFileRejected([Problem(None, None, "The file has no invoice lines")])
    return lines
