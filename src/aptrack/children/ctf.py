"""Reading a Common Transfer File (CTF): the DfE's XML for a pupil's record moving between
schools. Pure: bytes in, a `CtfFile` out, or `CtfInvalid` naming the element and the pupil.

Accepts CTF 25 as published and the versions before it: the header's version as `CTFversion`
or `CTFVersion`, the pupil's sex as `Sex` or `Gender`. Parsed with defusedxml, so a file
with entities or a DTD is refused rather than expanded. Element names as MIS suppliers' CTF
readers and writers use them: `CTfile/Header`, `CTFpupilData/Pupil` with `UPN`, `Surname`,
`Forename`, `DOB`, `BasicDetails`, `SENhistory`, `FSMhistory`, `Attendance/YearData` and
`SchoolHistory/School`."""

import datetime as dt
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from aptrack.children import upn as upn_rules

ROOT = "CTfile"


class CtfInvalid(Exception):
    """A file that cannot be imported: the message names the element and the pupil."""


@dataclass(frozen=True)
class SenRow:
    start_date: dt.date
    provision: str  # N, K or E
    needs: str = ""


@dataclass(frozen=True)
class FsmRow:
    start_date: dt.date
    end_date: dt.date | None
    uk_country: str = ""


@dataclass(frozen=True)
class AttendanceRow:
    year: int
    la_code: str
    establishment_number: str
    school_name: str
    sessions_possible: int
    sessions_attended: int | None
    sessions_authorised: int | None
    sessions_unauthorised: int | None


@dataclass(frozen=True)
class SchoolRow:
    la_code: str
    establishment_number: str
    school_name: str
    entry_date: dt.date | None
    leaving_date: dt.date | None
    leaving_reason: str


@dataclass(frozen=True)
class CtfPupil:
    position: int  # 1 for the first <Pupil> in the file
    upn: str
    surname: str
    forename: str
    date_of_birth: dt.date
    sex: str  # M, F or U
    preferred_forename: str = ""
    ethnicity: str = ""
    sen_history: tuple[SenRow, ...] = ()
    fsm_history: tuple[FsmRow, ...] = ()
    attendance: tuple[AttendanceRow, ...] = ()
    schools: tuple[SchoolRow, ...] = ()

    @property
    def label(self) -> str:
        return f"pupil {self.position} (UPN {self.upn})"


@dataclass(frozen=True)
class CtfFile:
    name: str
    version: str
    source_school: str
    pupils: tuple[CtfPupil, ...] = field(default_factory=tuple)


def _local(tag: str) -> str:
    """The element's name without its namespace."""
    return tag.rsplit("}", 1)[-1]


def _child(element: Element | None, name: str) -> Element | None:
    if element is None:
        return None
    for item in element:
        if _local(item.tag) == name:
            return item
    return None


def _children(element: Element | None, name: str) -> list[Element]:
    if element is None:
        return []
    return [item for item in element if _local(item.tag) == name]


def _text(element: Element | None, *names: str) -> str:
    """The text of the first of `names` under `element` (alternative spellings), or ''."""
    for name in names:
        found = _child(element, name)
        if found is not None and found.text is not None:
            return found.text.strip()
    return ""


class _Pupil:
    """Reads one <Pupil>, naming it in every error."""

    def __init__(self, element: Element, position: int, file_name: str) -> None:
        self.element = element
        self.position = position
        self.file_name = file_name
        self.who = f"pupil {position}"

    def fail(self, message: str) -> CtfInvalid:
        return CtfInvalid(f"{self.file_name}: {self.who}: {message}")

    def date(
        self, element: Element | None, name: str, *, path: str, required: bool
    ) -> dt.date | None:
        value = _text(element, name)
        if not value:
            if required:
                raise self.fail(f"no <{path}>")
            return None
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            raise self.fail(f"<{path}> “{value}” is not a date like 2012-03-14") from None

    def number(self, element: Element | None, name: str, *, path: str) -> int | None:
        value = _text(element, name)
        if not value:
            return None
        if not (value.isascii() and value.isdigit()):
            raise self.fail(f"<{path}> “{value}” is not a whole number")
        return int(value)

    def read(self) -> CtfPupil:
        pupil = self.element
        raw_upn = _text(pupil, "UPN")
        if not raw_upn:
            raise self.fail("no <UPN>")
        try:
            upn = upn_rules.parse(raw_upn).upn
        except upn_rules.InvalidUPN as error:
            raise self.fail(f"<UPN> “{raw_upn}”: {error}") from None
        self.who = f"pupil {self.position} (UPN {upn})"
        surname, forename = _text(pupil, "Surname"), _text(pupil, "Forename")
        if not surname:
            raise self.fail("no <Surname>")
        if not forename:
            raise self.fail("no <Forename>")
        dob = self.date(pupil, "DOB", path="DOB", required=True)
        assert dob is not None  # noqa: S101 - required above
        sex = _text(pupil, "Sex", "Gender").upper()
        basic = _child(pupil, "BasicDetails")
        return CtfPupil(
            position=self.position,
            upn=upn,
            surname=surname,
            forename=forename,
            date_of_birth=dob,
            sex=sex if sex in {"M", "F"} else "U",
            preferred_forename=_text(basic, "PreferredForename"),
            ethnicity=_text(basic, "Ethnicity").upper(),
            sen_history=self.sen(),
            fsm_history=self.fsm(),
            attendance=self.attendance(),
            schools=self.schools(),
        )

    def sen(self) -> tuple[SenRow, ...]:
        history = _child(self.element, "SENhistory")
        rows = []
        for sen in _children(history, "SEN"):
            start = self.date(sen, "StartDate", path="SENhistory/SEN/StartDate", required=True)
            provision = _text(sen, "SENprovision").upper()
            if provision not in {"N", "K", "E"}:
                raise self.fail(f"<SENhistory/SEN/SENprovision> “{provision}” is not N, K or E")
            needs = [
                _text(need, "SENtype") or (need.text or "").strip()
                for need in _children(_child(history, "SENneeds"), "SENneed")
            ]
            assert start is not None  # noqa: S101 - required above
            rows.append(
                SenRow(
                    start_date=start, provision=provision, needs=" ".join(filter(None, needs))[:100]
                )
            )
        return tuple(sorted(rows, key=lambda row: row.start_date))

    def fsm(self) -> tuple[FsmRow, ...]:
        rows = []
        for instance in _children(_child(self.element, "FSMhistory"), "FSMinstance"):
            path = "FSMhistory/FSMinstance"
            start = self.date(instance, "FSMstartDate", path=f"{path}/FSMstartDate", required=True)
            end = self.date(instance, "FSMendDate", path=f"{path}/FSMendDate", required=False)
            assert start is not None  # noqa: S101 - required above
            if end is not None and end < start:
                raise self.fail(f"<{path}/FSMendDate> {end} is before its FSMstartDate {start}")
            rows.append(
                FsmRow(start_date=start, end_date=end, uk_country=_text(instance, "UKcountry")[:3])
            )
        return tuple(sorted(rows, key=lambda row: row.start_date))

    def attendance(self) -> tuple[AttendanceRow, ...]:
        rows = []
        for year_data in _children(_child(self.element, "Attendance"), "YearData"):
            path = "Attendance/YearData"
            year = self.number(year_data, "Year", path=f"{path}/Year")
            possible = self.number(year_data, "SessionsPossible", path=f"{path}/SessionsPossible")
            if year is None:
                raise self.fail(f"no <{path}/Year>")
            if possible is None:
                raise self.fail(f"no <{path}/SessionsPossible>")
            rows.append(
                AttendanceRow(
                    year=year,
                    la_code=_text(year_data, "LEA")[:3],
                    establishment_number=_text(year_data, "Estab")[:4],
                    school_name=_text(year_data, "SchoolName")[:200],
                    sessions_possible=possible,
                    sessions_attended=self.number(
                        year_data, "SessionsAttended", path=f"{path}/SessionsAttended"
                    ),
                    sessions_authorised=self.number(
                        year_data, "SessionsAuthorised", path=f"{path}/SessionsAuthorised"
                    ),
                    sessions_unauthorised=self.number(
                        year_data, "SessionsUnauthorised", path=f"{path}/SessionsUnauthorised"
                    ),
                )
            )
        return tuple(sorted(rows, key=lambda row: row.year))

    def schools(self) -> tuple[SchoolRow, ...]:
        rows = []
        for school in _children(_child(self.element, "SchoolHistory"), "School"):
            path = "SchoolHistory/School"
            rows.append(
                SchoolRow(
                    la_code=_text(school, "LEA")[:3],
                    establishment_number=_text(school, "Estab")[:4],
                    school_name=_text(school, "SchoolName")[:200],
                    entry_date=self.date(
                        school, "EntryDate", path=f"{path}/EntryDate", required=False
                    ),
                    leaving_date=self.date(
                        school, "LeavingDate", path=f"{path}/LeavingDate", required=False
                    ),
                    leaving_reason=_text(school, "LeavingReason")[:40],
                )
            )
        return tuple(rows)


def parse(content: bytes, *, name: str) -> CtfFile:
    """Read a CTF, or raise CtfInvalid with the file, the element and the pupil at fault."""
    try:
        root = fromstring(content, forbid_dtd=True)
    except DefusedXmlException:
        raise CtfInvalid(
            f"{name}: the file declares a DTD or entities, which a CTF never has"
        ) from None
    except (ParseError, ValueError) as error:
        raise CtfInvalid(f"{name}: not an XML file ({error})") from None
    if _local(root.tag) != ROOT:
        raise CtfInvalid(
            f"{name}: the root element is <{_local(root.tag)}>, not <{ROOT}>: "
            "not a Common Transfer File"
        )
    header = _child(root, "Header")
    if header is None:
        raise CtfInvalid(f"{name}: no <Header>")
    version = _text(header, "CTFversion", "CTFVersion")
    if not version:
        raise CtfInvalid(f"{name}: no <Header/CTFversion>")
    source = _child(header, "SourceSchool")
    source_name = _text(source, "SchoolName") or f"{_text(source, 'LEA')}{_text(source, 'Estab')}"
    data = _child(root, "CTFpupilData")
    if data is None:
        raise CtfInvalid(f"{name}: no <CTFpupilData>")
    pupils = tuple(
        _Pupil(element, position, name).read()
        for position, element in enumerate(_children(data, "Pupil"), start=1)
    )
    seen: dict[str, int] = {}
    for pupil in pupils:
        if pupil.upn in seen:
            raise CtfInvalid(f"{name}: {pupil.label}: the same UPN as pupil {seen[pupil.upn]}")
        seen[pupil.upn] = pupil.position
    return CtfFile(name=name, version=version, source_school=source_name, pupils=pupils)
