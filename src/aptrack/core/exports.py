"""The one writer for every CSV and XLSX file aptrack hands out, so that no cell opens as a
live formula in a spreadsheet.

A name such as `=HYPERLINK("http://…","Click")` or `+cmd|' /C calc'!A0` typed into a provider
or a child record would otherwise run when an officer opens the download. Following the OWASP
CSV injection guidance, a text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage
return is written with a single quote in front of it, so the spreadsheet shows it as text.
Numbers (int, float, Decimal) are written as numbers, negative ones included, and so is text
that is a plain number such as "-3" or "+44": only text that could be read as a formula is
changed. The DfE AP census file is written the same way: its columns and order are untouched,
and the leading quote on a hostile name is the accepted way to keep such a cell inert.

Every export writes through `csv_writer` or `workbook_bytes`; nothing else in aptrack calls
`csv.writer` for a file a user downloads or saves an openpyxl workbook itself.
"""

import csv
import io
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def neutralise(value: Any) -> Any:
    """The value as it may safely go into a cell: text that could start a formula gets a
    leading single quote; everything else (numbers, dates, None, plain text) is unchanged."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_TRIGGERS)
        and not _PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


class SafeCsvWriter:
    """`csv.writer`'s `writerow`/`writerows`, with every cell neutralised."""

    def __init__(self, stream: "SupportsWrite[str]", **fmtparams: Any) -> None:
        self._writer = csv.writer(stream, **fmtparams)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([neutralise(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream: "SupportsWrite[str]", **fmtparams: Any) -> SafeCsvWriter:
    """A CSV writer for a download (a text stream, or the HttpResponse it is written to): use
    it instead of `csv.writer`."""
    return SafeCsvWriter(stream, **fmtparams)


def workbook_bytes(book: Workbook) -> bytes:
    """The workbook as an .xlsx file, every text cell neutralised first.

    openpyxl turns any text beginning `=` into a formula cell when it is assigned, so the
    check is made here, over every cell of every sheet, just before the file is written:
    however an export filled its sheets, no formula leaves aptrack."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" or (
                    isinstance(cell.value, str) and cell.value.startswith(FORMULA_TRIGGERS)
                ):
                    cell.value = neutralise(str(cell.value))
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()
