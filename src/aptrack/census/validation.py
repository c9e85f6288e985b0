"""Checks on the census rows before any file leaves aptrack. Pure: rows in, issues out.

Errors stop the census file (the error report says what to fix); warnings do not. Each
message is a module constant, so tests and the page use the same words.
"""

import datetime as dt
import re
from dataclasses import dataclass

from aptrack.census import items
from aptrack.census.dates import age_window
from aptrack.census.items import CensusRow
from aptrack.children import upn as upn_rules
from aptrack.placements.states import PlacementStatus
from aptrack.referrals.models import PrimaryReason

UPN_MISSING = "No UPN: add the pupil's UPN (or a temporary UPN) to their record"
UPN_INVALID = "UPN is not valid: {reason}"
UPN_TEMPORARY = "Temporary UPN: replace it with the permanent UPN when it is known"
ULN_INVALID = "ULN must be 10 digits"
IDENTITY_NONE = (
    "The provider has no URN, UKPRN or setting type: add it to the provider register with "
    "exactly one of them"
)
IDENTITY_MANY = "The provider has more than one of URN, UKPRN and setting type: keep exactly one"
URN_INVALID = "URN must be 6 digits"
UKPRN_INVALID = "UKPRN must be 8 digits starting with 1"
SETTING_TYPE_INVALID = "Setting type must be NFE, OOT, OTH or WBP"
REASON_MISSING = (
    "No primary reason for placement: the placement has no referral giving why it was commissioned"
)
REASON_INVALID = "Primary reason {code} is not a known reason"
ENTRY_MISSING = "No entry date"
ENTRY_AFTER_CENSUS = "Entry date {date} is after census day"
LEAVING_BEFORE_CENSUS = (
    "Leaving date {date} is before census day: the pupil was not in this placement then"
)
LEAVING_BEFORE_ENTRY = "Leaving date is before the entry date"
STILL_PLANNED = (
    "Census day has passed but the placement is still recorded as planned: record that it "
    "started, or cancel it"
)
DOB_OUT_OF_RANGE = "Date of birth {date} is outside the census age range (2 to 18)"
SESSIONS_INVALID = "Sessions per week must be 1 to 10: the placement records no hours"
ATTENDANCE_PATTERN_INVALID = "Attendance pattern must be FT or PT"

REASON_CODES = frozenset(PrimaryReason.values)
URN_PATTERN = re.compile(r"^[0-9]{6}$")
UKPRN_PATTERN = re.compile(r"^1[0-9]{7}$")
ULN_PATTERN = re.compile(r"^[0-9]{10}$")
SESSIONS_PATTERN = re.compile(r"^[0-9]{1,2}$")


@dataclass(frozen=True)
class Issue:
    row: CensusRow
    item: str  # the census item (CSV header) at fault
    message: str
    is_error: bool = True


def _identifiers(row: CensusRow) -> list[tuple[str, str, bool]]:
    found: list[tuple[str, str, bool]] = []
    if not row["UPN"]:
        found.append(("UPN", UPN_MISSING, True))
    else:
        try:
            parsed = upn_rules.parse(row["UPN"])
        except upn_rules.InvalidUPN as error:
            found.append(("UPN", UPN_INVALID.format(reason=error), True))
        else:
            if parsed.is_temporary:
                found.append(("UPN", UPN_TEMPORARY, False))
    if row["ULN"] and not ULN_PATTERN.match(row["ULN"]):
        found.append(("ULN", ULN_INVALID, True))
    return found


def _provider_identity(row: CensusRow) -> list[tuple[str, str, bool]]:
    given = [header for header in ("URN", "UKPRN", "SettingType") if row[header]]
    if not given:
        return [("URN", IDENTITY_NONE, True)]
    if len(given) > 1:
        return [(given[1], IDENTITY_MANY, True)]
    checks = {
        "URN": (URN_PATTERN.match(row["URN"]), URN_INVALID),
        "UKPRN": (UKPRN_PATTERN.match(row["UKPRN"]), UKPRN_INVALID),
        "SettingType": (row["SettingType"] in items.SETTING_TYPES, SETTING_TYPE_INVALID),
    }
    ok, message = checks[given[0]]
    return [] if ok else [(given[0], message, True)]


def _placement(row: CensusRow, census_date: dt.date, today: dt.date) -> list[tuple[str, str, bool]]:
    found: list[tuple[str, str, bool]] = []
    if not row["PlacementReason"]:
        found.append(("PlacementReason", REASON_MISSING, True))
    elif row["PlacementReason"] not in REASON_CODES:
        found.append(("PlacementReason", REASON_INVALID.format(code=row["PlacementReason"]), True))
    entry, leaving = row.date("EntryDate"), row.date("LeavingDate")
    if entry is None:
        found.append(("EntryDate", ENTRY_MISSING, True))
    elif entry > census_date:
        found.append(("EntryDate", ENTRY_AFTER_CENSUS.format(date=entry.isoformat()), True))
    elif row.placement_status == PlacementStatus.PLANNED and census_date < today:
        found.append(("EntryDate", STILL_PLANNED, True))
    if leaving is not None:
        if entry is not None and leaving < entry:
            found.append(("LeavingDate", LEAVING_BEFORE_ENTRY, True))
        elif leaving < census_date:
            found.append(
                ("LeavingDate", LEAVING_BEFORE_CENSUS.format(date=leaving.isoformat()), True)
            )
    if row["AttendancePattern"] not in (items.FULL_TIME, items.PART_TIME):
        found.append(("AttendancePattern", ATTENDANCE_PATTERN_INVALID, True))
    sessions = row["SessionsPerWeek"]
    if not (SESSIONS_PATTERN.match(sessions) and 1 <= int(sessions) <= items.MAX_SESSIONS):
        found.append(("SessionsPerWeek", SESSIONS_INVALID, True))
    return found


def _age(row: CensusRow, census_date: dt.date) -> list[tuple[str, str, bool]]:
    born = row.date("DOB")
    earliest, latest = age_window(census_date)
    if born is None or not earliest <= born <= latest:
        return [("DOB", DOB_OUT_OF_RANGE.format(date=row["DOB"] or "missing"), True)]
    return []


def validate(rows: list[CensusRow], *, census_date: dt.date, today: dt.date) -> list[Issue]:
    """Every problem with the rows as they would be written, in row order."""
    issues: list[Issue] = []
    for row in rows:
        for item, message, is_error in (
            _identifiers(row)
            + _age(row, census_date)
            + _provider_identity(row)
            + _placement(row, census_date, today)
        ):
            issues.append(Issue(row=row, item=item, message=message, is_error=is_error))
    return issues
