"""Each census check, on rows built by hand (no database)."""

import datetime as dt

import pytest

from aptrack.census import validation as v
from aptrack.census.items import CensusRow
from aptrack.children import upn

CENSUS_DAY = dt.date(2027, 1, 21)
AFTER = dt.date(2027, 2, 1)
GOOD_UPN = upn.make("838", "4000", "23", "001")

GOOD = {
    "UPN": GOOD_UPN,
    "ULN": "",
    "Surname": "Smith",
    "Forename": "Sam",
    "DOB": "2012-03-14",
    "Sex": "M",
    "Ethnicity": "WBRI",
    "FSMeligible": "false",
    "SENprovision": "N",
    "URN": "",
    "UKPRN": "",
    "SettingType": "OOT",
    "PlacementReason": "MEDICAL",
    "EntryDate": "2026-09-07",
    "LeavingDate": "",
    "AttendancePattern": "FT",
    "SessionsPerWeek": "10",
}


def _row(status: str = "ACTIVE", **changes: str) -> CensusRow:
    return CensusRow(
        child_id=1,
        placement_id=1,
        placement_status=status,
        provider_name="P",
        values={**GOOD, **changes},
    )


def _problems(row: CensusRow, today: dt.date = AFTER) -> list[tuple[str, str, bool]]:
    return [
        (i.item, i.message, i.is_error)
        for i in v.validate([row], census_date=CENSUS_DAY, today=today)
    ]


def test_a_complete_row_passes():
    assert _problems(_row()) == []


def test_missing_upn_is_an_error():
    assert _problems(_row(UPN="")) == [("UPN", v.UPN_MISSING, True)]


def test_upn_with_a_wrong_check_letter_is_an_error():
    wrong = ("A" if GOOD_UPN[0] != "A" else "B") + GOOD_UPN[1:]
    [(item, message, is_error)] = _problems(_row(UPN=wrong))
    assert item == "UPN" and is_error and message.startswith("UPN is not valid")


def test_temporary_upn_is_only_a_warning():
    temporary = upn.make("838", "4000", "23", "001", temporary_letter="A")
    assert _problems(_row(UPN=temporary)) == [("UPN", v.UPN_TEMPORARY, False)]


@pytest.mark.parametrize(
    ("identity", "expected"),
    [
        ({"SettingType": ""}, ("URN", v.IDENTITY_NONE)),
        ({"URN": "123456"}, ("SettingType", v.IDENTITY_MANY)),
        ({"UKPRN": "10012345"}, ("SettingType", v.IDENTITY_MANY)),
        ({"SettingType": "XYZ"}, ("SettingType", v.SETTING_TYPE_INVALID)),
        ({"SettingType": "", "URN": "12345"}, ("URN", v.URN_INVALID)),
        ({"SettingType": "", "UKPRN": "20012345"}, ("UKPRN", v.UKPRN_INVALID)),
    ],
)
def test_provider_identity_must_be_exactly_one_of_urn_ukprn_setting_type(identity, expected):
    assert _problems(_row(**identity)) == [(*expected, True)]


@pytest.mark.parametrize(
    "identity",
    [
        {"SettingType": "", "URN": "123456"},
        {"SettingType": "", "UKPRN": "10012345"},
        {"SettingType": "WBP"},
    ],
)
def test_one_identity_alone_passes(identity):
    assert _problems(_row(**identity)) == []


def test_missing_reason_is_an_error():
    assert _problems(_row(PlacementReason="")) == [("PlacementReason", v.REASON_MISSING, True)]


def test_entry_after_census_day_is_an_error():
    assert _problems(_row(EntryDate="2027-01-22")) == [
        ("EntryDate", v.ENTRY_AFTER_CENSUS.format(date="2027-01-22"), True)
    ]


def test_leaving_before_census_day_is_an_error():
    assert _problems(_row(LeavingDate="2027-01-20")) == [
        ("LeavingDate", v.LEAVING_BEFORE_CENSUS.format(date="2027-01-20"), True)
    ]


def test_leaving_before_entry_is_an_error():
    assert _problems(_row(LeavingDate="2026-09-01")) == [
        ("LeavingDate", v.LEAVING_BEFORE_ENTRY, True)
    ]


def test_leaving_on_census_day_passes():
    assert _problems(_row(LeavingDate="2027-01-21")) == []


def test_still_planned_after_census_day_is_an_error_but_not_before_it():
    assert _problems(_row(status="PLANNED")) == [("EntryDate", v.STILL_PLANNED, True)]
    assert _problems(_row(status="PLANNED"), today=dt.date(2026, 11, 23)) == []


@pytest.mark.parametrize("dob", ["2006-08-31", "2025-01-01", ""])
def test_date_of_birth_outside_the_age_range_is_an_error(dob):
    assert [p[0] for p in _problems(_row(DOB=dob))] == ["DOB"]


def test_sessions_must_be_1_to_10():
    assert _problems(_row(SessionsPerWeek="0")) == [("SessionsPerWeek", v.SESSIONS_INVALID, True)]
    assert _problems(_row(SessionsPerWeek="11")) == [("SessionsPerWeek", v.SESSIONS_INVALID, True)]


def test_uln_must_be_ten_digits():
    assert _problems(_row(ULN="12345")) == [("ULN", v.ULN_INVALID, True)]


@pytest.mark.parametrize(
    "digit", ["\uff11", "\u00b9", "\u0661"], ids=["full-width", "superscript", "arabic-indic"]
)
def test_a_upn_with_a_non_ascii_digit_is_an_error_not_a_crash(digit):
    [(item, message, is_error)] = _problems(_row(UPN=GOOD_UPN[:-1] + digit))
    assert item == "UPN" and is_error and "0 to 9 only" in message


def test_sessions_in_non_ascii_digits_are_refused_not_crashed():
    assert _problems(_row(SessionsPerWeek="\u00b2")) == [
        ("SessionsPerWeek", v.SESSIONS_INVALID, True)
    ]


def test_a_welsh_upn_is_accepted():
    assert _problems(_row(UPN=upn.make("672", "2000", "19", "042"))) == []
