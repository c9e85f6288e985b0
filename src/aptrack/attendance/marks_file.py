"""The attendance marks CSV file: its documented shape, checking it, and reading it in a stream.

The format (docs on the upload page and in `aptrack import-attendance --help`):

- one row per child per session, after one header row naming the columns
  `UPN, Date, Session, Code, Minutes late, Comment` (any order; the last two may be left out);
- Date as YYYY-MM-DD or DD/MM/YYYY; Session AM or PM; Code one of the codes in force since
  August 2024; Minutes late a whole number, only with L or U;
- UTF-8 with or without a byte-order mark, or Windows-1252; CRLF or LF line endings.

Nothing here holds a whole file: files are read in chunks, so memory stays flat however large
the file. Rows are numbered as a spreadsheet shows them: the header is row 1.
"""

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from aptrack.attendance.rules import CSV_HEADINGS, FIELD_COUNT, Column, RowError

CHUNK_BYTES = 1 << 20
# A row of six short fields and a 500-character comment (4 bytes a character at most) fits
# well inside this; anything longer is not a marks file.
MAX_LINE_BYTES = 8_192
BOM = codecs.BOM_UTF8
UTF8 = "utf-8"
WINDOWS_1252 = "cp1252"

REQUIRED_COLUMNS = (Column.UPN, Column.DATE, Column.SESSION, Column.CODE)
# Header names are matched ignoring case, spaces and punctuation.
_HEADER_NAMES = {
    "upn": Column.UPN,
    "date": Column.DATE,
    "sessiondate": Column.DATE,
    "session": Column.SESSION,
    "code": Column.CODE,
    "mark": Column.CODE,
    "minuteslate": Column.MINUTES_LATE,
    "comment": Column.COMMENT,
    "comments": Column.COMMENT,
}

EMPTY_FILE = "The file is empty"
NUL_BYTES = "The file has NUL bytes: save it as CSV (comma-separated values), not as a spreadsheet"
BAD_ENCODING = "The file is neither UTF-8 nor Windows-1252 text"
LINE_TOO_LONG = "Line {line} is longer than {limit:,} bytes: this is not a marks file"
NO_HEADER = "The first row must name the columns: " + ", ".join(CSV_HEADINGS.values())
UNKNOWN_COLUMN = "Column {name} is not one of: " + ", ".join(CSV_HEADINGS.values())
DUPLICATE_COLUMN = "Column {name} appears more than once"
MISSING_COLUMN = "The {name} column is missing"
NOT_CSV = "The file cannot be read as CSV from row {row} on: {detail}"


@dataclass(frozen=True)
class FileShape:
    """What checking a file found: how to decode it and which column is which."""

    encoding: str  # UTF8 or WINDOWS_1252
    has_bom: bool
    columns: tuple[Column, ...]  # in the file's order
    header_lines: int  # physical lines the header row takes (1 unless a heading has a newline)
    spans_lines: bool = False  # some quoted field runs over more than one line


class FileInvalid(Exception):
    """The file as a whole cannot be read; `errors` says why (rows are None or 1)."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__("; ".join(error.reason for error in errors))


def inspect(stream: BinaryIO) -> FileShape:
    """Check the encoding, line lengths and header of a whole file, in chunks. Raises FileInvalid."""
    stream.seek(0)
    first = stream.read(CHUNK_BYTES)
    if not first.strip(b"\r\n\t \xef\xbb\xbf"):
        raise FileInvalid([RowError(None, None, EMPTY_FILE)])
    has_bom = first.startswith(BOM)
    encoding = UTF8 if _decodes(stream, UTF8) else WINDOWS_1252
    if encoding == WINDOWS_1252 and not _decodes(stream, WINDOWS_1252):
        raise FileInvalid([RowError(None, None, BAD_ENCODING)])
    spans_lines = _check_lines(stream)
    columns, header_lines = _read_header(stream, encoding)
    return FileShape(
        encoding=encoding,
        has_bom=has_bom,
        columns=columns,
        header_lines=header_lines,
        spans_lines=spans_lines,
    )


def _decodes(stream: BinaryIO, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    stream.seek(0)
    try:
        while chunk := stream.read(CHUNK_BYTES):
            if b"\x00" in chunk:
                raise FileInvalid([RowError(None, None, NUL_BYTES)])
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _check_lines(stream: BinaryIO) -> bool:
    """Refuse a file with an overlong line before any parser has to hold it. Returns whether a
    quoted field runs over more than one line (some line has an odd number of quotes)."""
    stream.seek(0)
    line, carried, spans_lines, newline = 1, b"", False, b"\n"
    while chunk := stream.read(CHUNK_BYTES):
        if line == 1 and newline not in chunk and b"\r" in chunk:
            newline = b"\r"  # an old Mac file: CR alone ends each line
        text = carried + chunk
        cut = text.rfind(newline) + 1  # the last line may go on in the next chunk
        text, carried = text[:cut], text[cut:]
        lines = text.split(newline)
        _check_lengths([*lines, carried], line)
        spans_lines = spans_lines or _has_odd_quotes(text, newline)
        line += len(lines) - 1
    return spans_lines or carried.count(b'"') % 2 == 1


def _has_odd_quotes(text: bytes, newline: bytes) -> bool:
    """Whether any line of `text` has an odd number of double quotes (only lines with quotes
    are looked at, so this costs little when few fields are quoted)."""
    position = text.find(b'"')
    while position != -1:
        start = text.rfind(newline, 0, position) + 1
        end = text.find(newline, position)
        end = len(text) if end == -1 else end
        if text.count(b'"', start, end) % 2:
            return True
        position = text.find(b'"', end)
    return False


def _check_lengths(lines: list[bytes], first_line: int) -> None:
    if max(map(len, lines), default=0) <= MAX_LINE_BYTES:
        return
    index = next(index for index, text in enumerate(lines) if len(text) > MAX_LINE_BYTES)
    raise FileInvalid(
        [RowError(None, None, LINE_TOO_LONG.format(line=first_line + index, limit=MAX_LINE_BYTES))]
    )


def _read_header(stream: BinaryIO, encoding: str) -> tuple[tuple[Column, ...], int]:
    with _text(stream, encoding) as text:
        reader = csv.reader(text, strict=True)
        try:
            header = next(reader, [])
        except csv.Error as error:
            raise FileInvalid([RowError(1, None, NOT_CSV.format(row=1, detail=error))]) from None
        header_lines = reader.line_num
    errors: list[RowError] = []
    columns: list[Column] = []
    for name in header:
        column = _HEADER_NAMES.get(re.sub(r"[^a-z0-9]", "", name.lower()))
        if column is None:
            errors.append(RowError(1, None, UNKNOWN_COLUMN.format(name=_quoted(name))))
        elif column in columns:
            errors.append(RowError(1, None, DUPLICATE_COLUMN.format(name=_quoted(name))))
        else:
            columns.append(column)
    if errors and not columns:
        raise FileInvalid([RowError(1, None, NO_HEADER)])
    errors += [
        RowError(1, None, MISSING_COLUMN.format(name=CSV_HEADINGS[column]))
        for column in REQUIRED_COLUMNS
        if column not in columns
    ]
    if errors:
        raise FileInvalid(errors)
    return tuple(columns), header_lines


def _quoted(name: str) -> str:
    name = name.strip()
    return f"“{name[:40]}”" if name else "(blank)"


class _text:
    """The stream as text from its start, BOM removed, newlines left to the csv module."""

    def __init__(self, stream: BinaryIO, encoding: str) -> None:
        self._stream = stream
        self._encoding = "utf-8-sig" if encoding == UTF8 else encoding

    def __enter__(self) -> io.TextIOWrapper:
        self._stream.seek(0)
        self._wrapper = io.TextIOWrapper(
            io.BufferedReader(_Unclosable(self._stream), CHUNK_BYTES),
            encoding=self._encoding,
            newline="",
        )
        return self._wrapper

    def __exit__(self, *exc: object) -> None:
        self._wrapper.close()  # closes the wrappers only: _Unclosable leaves the stream open


class _Unclosable(io.RawIOBase):
    """Lets a TextIOWrapper read a caller's stream without closing it afterwards."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self._raw.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def iter_records(stream: BinaryIO, shape: FileShape) -> Iterator[tuple[int, list[str]] | RowError]:
    """Each data row as (row number, fields in the shape's column order), or the RowError that
    stops it being one. Blank rows are skipped. A file the csv module cannot follow stops here
    with one error naming the row."""
    expected = len(shape.columns)
    with _text(stream, shape.encoding) as text:
        reader = csv.reader(text, strict=True)
        row = 1
        try:
            next(reader, None)
            for row, record in enumerate(reader, start=2):
                if not record or not any(field.strip() for field in record):
                    continue
                if len(record) != expected:
                    yield RowError(
                        row, None, FIELD_COUNT.format(found=len(record), expected=expected)
                    )
                    continue
                yield row, record
        except csv.Error as error:
            yield RowError(row + 1, None, NOT_CSV.format(row=row + 1, detail=error))


class Body:
    """The file's bytes for PostgreSQL's COPY: without the BOM, and without blank lines at the
    end (which COPY would read as rows). Counts the data lines it hands over (`lines`, once
    read), so the caller can check COPY read a row for every one: in CSV form COPY stops at a
    line holding only `\\.` as if the file ended there."""

    def __init__(self, stream: BinaryIO, shape: FileShape) -> None:
        self._stream = stream
        self._shape = shape
        self.lines = 0

    def __iter__(self) -> Iterator[bytes]:
        self.lines = 0
        newline = b""
        ended = True  # whether the bytes handed over so far end with a line ending
        for chunk in self._chunks():
            if not newline:
                newline = b"\n" if b"\n" in chunk or b"\r" not in chunk else b"\r"
            self.lines += chunk.count(newline)
            ended = chunk.endswith(newline)
            yield chunk
        # Lines after the header: the last counts even without an ending of its own.
        self.lines = max(self.lines + (0 if ended else 1) - self._shape.header_lines, 0)

    def _chunks(self) -> Iterator[bytes]:
        stream, shape = self._stream, self._shape
        stream.seek(len(BOM) if shape.has_bom else 0)
        pending = b""
        while chunk := stream.read(CHUNK_BYTES):
            chunk = pending + chunk
            body = chunk.rstrip(b"\r\n")
            pending = chunk[len(body) :]
            if body:
                yield body
        # End the last row as the others end (COPY wants one kind of line ending throughout).
        for ending in (b"\r\n", b"\n", b"\r"):
            if pending.startswith(ending):
                yield ending
                break
