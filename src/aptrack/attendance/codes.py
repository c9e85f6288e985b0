"""The attendance codes in force from 19 August 2024 (SI 2024/208 reg. 10), each with its class.

This table is the one place the codes live: the models' choices and constraints, the import's
checks, the rollups' sums and the measures all read it. It copies domain.md §3 exactly; Y5 and Y6
wording is unverified there and kept as it stands.
"""

import enum
from dataclasses import dataclass


class MarkClass(enum.StrEnum):
    """What a code counts as. Possible sessions are present + AEA + authorised + unauthorised."""

    PRESENT = "PRESENT"
    AEA = "AEA"  # approved educational activity: counts as attendance
    AUTHORISED = "AUTHORISED"
    UNAUTHORISED = "UNAUTHORISED"
    NOT_POSSIBLE = "NOT_POSSIBLE"
    ADMINISTRATIVE = "ADMINISTRATIVE"

    @property
    def label(self) -> str:
        return CLASS_LABELS[self]


CLASS_LABELS = {
    MarkClass.PRESENT: "Present",
    MarkClass.AEA: "Approved educational activity",
    MarkClass.AUTHORISED: "Authorised absence",
    MarkClass.UNAUTHORISED: "Unauthorised absence",
    MarkClass.NOT_POSSIBLE: "Not a possible session",
    MarkClass.ADMINISTRATIVE: "Administrative",
}


@dataclass(frozen=True)
class AttendanceCode:
    code: str
    meaning: str
    mark_class: MarkClass
    # Q sits outside the authorised and unauthorised totals and is reported on its own
    # (DfE's `sess_q_la_arrangements` column).
    reported_separately: bool = False
    # Arrival times belong to late marks only: L (before the register closed), U (after).
    takes_minutes_late: bool = False

    @property
    def label(self) -> str:
        return f"{self.code} – {self.meaning}"


C = AttendanceCode
P, A, AU, UN, NP, AD = (
    MarkClass.PRESENT,
    MarkClass.AEA,
    MarkClass.AUTHORISED,
    MarkClass.UNAUTHORISED,
    MarkClass.NOT_POSSIBLE,
    MarkClass.ADMINISTRATIVE,
)

# fmt: off
CODES: tuple[AttendanceCode, ...] = (
    C("/", "Present (AM)", P),
    C("\\", "Present (PM)", P),
    C("L", "Late, before the register closed", P, takes_minutes_late=True),
    C("K", "Attending education arranged by the LA at a place that is not a school where the "
           "pupil is registered", A),
    C("V", "Educational visit or trip, supervised by school staff", A),
    C("P", "Approved sporting activity", A),
    C("W", "Work experience", A),
    C("B", "Any other approved activity, supervised by a suitably qualified person (remote "
           "education is absence, not B)", A),
    C("D", "Dual registered: attending the other school", NP),
    C("C1", "Regulated performance or employment abroad", AU),
    C("M", "Medical or dental appointment", AU),
    C("J1", "Interview", AU),
    C("S", "Study leave", AU),
    C("C2", "Part-time timetable", AU),
    C("C", "Exceptional circumstances", AU),
    C("T", "Parent travelling for occupational purposes", AU),
    C("R", "Religious observance", AU),
    C("I", "Illness", AU),
    C("E", "Suspended or excluded with no alternative provision arranged", AU),
    C("G", "Holiday not granted", UN),
    C("N", "No reason yet", UN),
    C("O", "Other or unknown reason", UN),
    C("U", "Arrived after the register closed", UN, takes_minutes_late=True),
    C("X", "Non-compulsory-school-age pupil not required to attend", NP),
    C("Q", "Unable to attend: no LA access arrangements (e.g. transport)", NP,
           reported_separately=True),
    C("Y1", "Transport normally provided not available", NP),
    C("Y2", "Widespread travel disruption", NP),
    C("Y3", "Part of the premises out of use", NP),
    C("Y4", "Whole site unexpectedly closed", NP),
    C("Y5", "Criminal-justice detention", NP),
    C("Y6", "Public-health guidance or law", NP),
    C("Y7", "Any other unavoidable cause", NP),
    C("Z", "Prospective pupil, not on roll", AD),
    C("#", "Planned whole or partial closure", AD),
)
# fmt: on

BY_CODE: dict[str, AttendanceCode] = {code.code: code for code in CODES}
CODE_CHOICES: list[tuple[str, str]] = [(code.code, code.label) for code in CODES]
MAX_CODE_LENGTH = max(len(code.code) for code in CODES)


def codes_in(*classes: MarkClass) -> frozenset[str]:
    return frozenset(code.code for code in CODES if code.mark_class in classes)


ATTENDING_CODES = codes_in(MarkClass.PRESENT, MarkClass.AEA)
ABSENCE_CODES = codes_in(MarkClass.AUTHORISED, MarkClass.UNAUTHORISED)
POSSIBLE_CODES = ATTENDING_CODES | ABSENCE_CODES
LATE_CODES = frozenset(code.code for code in CODES if code.takes_minutes_late)
SEPARATELY_REPORTED_CODES = frozenset(code.code for code in CODES if code.reported_separately)
# C2 marks the sessions a part-time timetable leaves out: they are not hours the placement
# planned to deliver (domain.md requirement 9).
PART_TIME_CODE = "C2"
# Only for a child below or above compulsory school age (SI 2024/208; domain.md §3).
NON_COMPULSORY_AGE_CODE = "X"
ILLNESS_CODE = "I"
# "No reason yet": the unexplained absence that same-day alerts chase.
NO_REASON_YET_CODE = "N"

# "/" marks presence in the morning and "\" in the afternoon. Either is accepted for either
# session and stored as the session's own sign, so a file that writes "/" all day is not refused.
PRESENT_SIGN = {"AM": "/", "PM": "\\"}
PRESENT_SIGNS = frozenset(PRESENT_SIGN.values())


def mark_class(code: str) -> MarkClass:
    return BY_CODE[code].mark_class


# The weekly rollups' columns (`PlacementWeek`) and the codes each counts: the one table every
# rollup writer and reader (`rollups`, the measures' cross-checks, the benches) takes them from.
ROLLUP_COLUMNS: tuple[tuple[str, frozenset[str]], ...] = (
    ("present", codes_in(MarkClass.PRESENT)),
    ("aea", codes_in(MarkClass.AEA)),
    ("authorised", codes_in(MarkClass.AUTHORISED)),
    ("unauthorised", codes_in(MarkClass.UNAUTHORISED)),
    ("not_possible", codes_in(MarkClass.NOT_POSSIBLE)),
    ("administrative", codes_in(MarkClass.ADMINISTRATIVE)),
    ("q_sessions", SEPARATELY_REPORTED_CODES),
    ("part_time_sessions", frozenset({PART_TIME_CODE})),
)
ROLLUP_COLUMN_NAMES: tuple[str, ...] = tuple(column for column, _ in ROLLUP_COLUMNS)
