"""The AP census items aptrack returns: one row per pupil and placement, named as DfE names them.

Sources (domain.md §6):
- gov.uk/guidance/alternative-provision-ap-census/data-items: UPN, ULN, Surname, Forename,
  Preferred surname, Date of birth (YYYY-MM-DD), Sex (F, M, U);
- the AP census 2019 business and technical specification v1.2 (readkong.com copy): the
  modules: identifiers, characteristics, SEN, home information (address, UPRN), placement;
- the 2023 AP census guide, placement items (fenews.co.uk/resources/data-items-2): URN, UKPRN,
  AP setting type (NFE, OOT, OTH, WBP; only one of URN, UKPRN and setting type), primary reason
  for placement (why it was commissioned; permanent exclusion takes precedence), entry and
  leaving dates, association with a school, attendance pattern, sessions per week, previous
  school URN.

The stored copies give the items' titles, not the XML tag of every item, so the column names
below are the DfE item titles written as single words (the header names in `ITEMS`). Middle
names and preferred surname are left out: aptrack does not hold them. Value
codes follow DfE where the sources give them (sex, ethnicity, SEN provision, setting type);
primary reason, attendance pattern and association are aptrack's own codes, listed on the
census page, because the stored sources do not give DfE's code sets for them.
"""

import datetime as dt
from dataclasses import dataclass

from aptrack.providers.models import SettingType
from aptrack.referrals.models import PrimaryReason


@dataclass(frozen=True)
class Item:
    header: str  # the CSV column
    title: str  # the DfE item title
    module: str
    meaning: str


ITEMS: tuple[Item, ...] = (
    Item(
        "UPN",
        "Unique pupil number (UPN)",
        "Identifiers",
        "13 characters; temporary UPNs end in a letter",
    ),
    Item("ULN", "Unique learner number (ULN)", "Identifiers", "10 digits, pupils aged 14 and over"),
    Item("Surname", "Surname", "Identifiers", "Legal surname"),
    Item("Forename", "Forename", "Identifiers", "Legal first name, in full"),
    Item("DOB", "Date of birth", "Identifiers", "YYYY-MM-DD"),
    Item("Sex", "Sex", "Identifiers", "F female, M male, U unknown"),
    Item("Ethnicity", "Ethnicity", "Characteristics", "DfE main ethnicity code, e.g. WBRI"),
    Item("FSMeligible", "Free school meal eligibility", "Characteristics", "true or false"),
    Item("SENprovision", "SEN provision", "SEN", "N none, K SEN support, E EHC plan"),
    Item("AddressLine1", "Address", "Home information", "First line of the home address"),
    Item("Town", "Town", "Home information", ""),
    Item("Postcode", "Postcode", "Home information", ""),
    Item("UPRN", "Unique property reference number", "Home information", "Up to 12 digits"),
    Item("URN", "URN of the AP setting", "Placement", "6 digits, from GIAS; or blank"),
    Item("UKPRN", "UKPRN of the AP setting", "Placement", "8 digits starting 1; or blank"),
    Item(
        "SettingType", "AP setting type", "Placement", "NFE, OOT, OTH or WBP when no URN or UKPRN"
    ),
    Item(
        "PlacementReason",
        "Primary reason for placement",
        "Placement",
        "Code below; PEX takes precedence",
    ),
    Item("EntryDate", "Placement entry date", "Placement", "YYYY-MM-DD, on or before census day"),
    Item(
        "LeavingDate",
        "Placement leaving date",
        "Placement",
        "YYYY-MM-DD if the placement ended on census day",
    ),
    Item(
        "AssociatedSchoolURN",
        "Association with a school",
        "Placement",
        "URN of the school whose roll the pupil stays on",
    ),
    Item("AttendancePattern", "Attendance pattern", "Placement", "FT full-time, PT part-time"),
    Item("SessionsPerWeek", "Sessions per week", "Placement", "Half-day sessions, 1 to 10"),
    Item(
        "PreviousSchoolURN",
        "Previous school URN",
        "Placement",
        "The last school the pupil attended",
    ),
)
HEADERS: tuple[str, ...] = tuple(item.header for item in ITEMS)

SETTING_TYPES = frozenset({"NFE", "OOT", "OTH", "WBP"})
FULL_TIME, PART_TIME = "FT", "PT"
PATTERN_LABELS = {FULL_TIME: "Full-time", PART_TIME: "Part-time"}
# A school day is two sessions of about two and a half hours: 25 hours a week is 10 sessions.
HOURS_PER_SESSION = 2.5
MAX_SESSIONS = 10


@dataclass(frozen=True)
class CensusRow:
    """One pupil in one placement, as the file says it, with what the page needs to explain it."""

    child_id: int
    placement_id: int
    placement_status: str
    provider_name: str
    values: dict[str, str]

    def __getitem__(self, header: str) -> str:
        return self.values.get(header, "")

    # The page shows labels; the file keeps the census codes.
    @property
    def attendance_label(self) -> str:
        pattern = PATTERN_LABELS.get(self["AttendancePattern"], self["AttendancePattern"])
        return f"{pattern}, {self['SessionsPerWeek']} sessions a week"

    @property
    def reason_label(self) -> str:
        code = self["PlacementReason"]
        return str(dict(PrimaryReason.choices).get(code, code)) if code else "None"

    @property
    def identity_label(self) -> str:
        if self["URN"]:
            return f"URN {self['URN']}"
        if self["UKPRN"]:
            return f"UKPRN {self['UKPRN']}"
        code = self["SettingType"]
        return str(dict(SettingType.choices).get(code, code)) if code else "None"

    def date(self, header: str) -> dt.date | None:
        try:
            return dt.date.fromisoformat(self[header]) if self[header] else None
        except ValueError:
            return None
