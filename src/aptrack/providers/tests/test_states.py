import pytest

from aptrack.providers.states import ALLOWED_TRANSITIONS, ApprovalStatus, can_move

ALLOWED = {
    ("NOT_ASSESSED", "APPROVED"),
    ("NOT_ASSESSED", "CONDITIONAL"),
    ("NOT_ASSESSED", "NOT_APPROVED"),
    ("APPROVED", "CONDITIONAL"),
    ("APPROVED", "REFERRALS_PAUSED"),
    ("APPROVED", "NOT_APPROVED"),
    ("CONDITIONAL", "APPROVED"),
    ("CONDITIONAL", "REFERRALS_PAUSED"),
    ("CONDITIONAL", "NOT_APPROVED"),
    ("REFERRALS_PAUSED", "APPROVED"),
    ("REFERRALS_PAUSED", "CONDITIONAL"),
    ("REFERRALS_PAUSED", "NOT_APPROVED"),
    ("NOT_APPROVED", "APPROVED"),
    ("NOT_APPROVED", "CONDITIONAL"),
}


@pytest.mark.parametrize("source", list(ApprovalStatus))
@pytest.mark.parametrize("target", list(ApprovalStatus))
def test_every_move_is_allowed_or_forbidden_as_the_table_says(source, target):
    assert can_move(source, target) == ((source.value, target.value) in ALLOWED)


def test_every_status_has_a_row():
    assert set(ALLOWED_TRANSITIONS) == set(ApprovalStatus)
