"""The code table is domain.md §3, exactly: every code, and the class each counts as."""

import pytest

from aptrack.attendance import codes
from aptrack.attendance.codes import MarkClass

# domain.md §3, copied column by column (Code → Class).
DOMAIN_TABLE = {
    "/": MarkClass.PRESENT,
    "\\": MarkClass.PRESENT,
    "L": MarkClass.PRESENT,
    "K": MarkClass.AEA,
    "V": MarkClass.AEA,
    "P": MarkClass.AEA,
    "W": MarkClass.AEA,
    "B": MarkClass.AEA,
    "D": MarkClass.NOT_POSSIBLE,
    "C1": MarkClass.AUTHORISED,
    "M": MarkClass.AUTHORISED,
    "J1": MarkClass.AUTHORISED,
    "S": MarkClass.AUTHORISED,
    "C2": MarkClass.AUTHORISED,
    "C": MarkClass.AUTHORISED,
    "T": MarkClass.AUTHORISED,
    "R": MarkClass.AUTHORISED,
    "I": MarkClass.AUTHORISED,
    "E": MarkClass.AUTHORISED,
    "G": MarkClass.UNAUTHORISED,
    "N": MarkClass.UNAUTHORISED,
    "O": MarkClass.UNAUTHORISED,
    "U": MarkClass.UNAUTHORISED,
    "X": MarkClass.NOT_POSSIBLE,
    "Q": MarkClass.NOT_POSSIBLE,
    "Y1": MarkClass.NOT_POSSIBLE,
    "Y2": MarkClass.NOT_POSSIBLE,
    "Y3": MarkClass.NOT_POSSIBLE,
    "Y4": MarkClass.NOT_POSSIBLE,
    "Y5": MarkClass.NOT_POSSIBLE,
    "Y6": MarkClass.NOT_POSSIBLE,
    "Y7": MarkClass.NOT_POSSIBLE,
    "Z": MarkClass.ADMINISTRATIVE,
    "#": MarkClass.ADMINISTRATIVE,
}


def test_the_code_set_is_exactly_the_2024_set():
    assert [code.code for code in codes.CODES] == list(DOMAIN_TABLE)


@pytest.mark.parametrize(("code", "mark_class"), DOMAIN_TABLE.items())
def test_each_code_counts_as_its_class(code, mark_class):
    assert codes.mark_class(code) == mark_class


def test_withdrawn_codes_are_not_in_the_set():
    assert not {"H", "J", "Y"} & set(codes.BY_CODE)


def test_possible_sessions_leave_out_d_x_q_y_z_and_hash():
    left_out = {"D", "X", "Q", "Y1", "Y2", "Y3", "Y4", "Y5", "Y6", "Y7", "Z", "#"}
    assert set(DOMAIN_TABLE) - left_out == codes.POSSIBLE_CODES
    assert {"/", "\\", "L", "K", "V", "P", "W", "B"} == codes.ATTENDING_CODES


def test_only_q_is_reported_separately_and_only_l_and_u_take_minutes_late():
    assert {"Q"} == codes.SEPARATELY_REPORTED_CODES
    assert {"L", "U"} == codes.LATE_CODES


def test_remote_education_is_not_b():
    assert "Remote education is absence, not B".lower() in codes.BY_CODE["B"].meaning.lower()
