import pytest

from aptrack.returns.states import ALLOWED_TRANSITIONS, ReturnStatus, can_move, is_editable

MOVES = [
    (ReturnStatus.DRAFT, ReturnStatus.SUBMITTED, True),
    (ReturnStatus.DRAFT, ReturnStatus.DRAFT, False),
    (ReturnStatus.SUBMITTED, ReturnStatus.SUBMITTED, False),
    (ReturnStatus.SUBMITTED, ReturnStatus.DRAFT, False),
]


@pytest.mark.parametrize(("source", "target", "allowed"), MOVES)
def test_return_status_moves(source, target, allowed):
    assert can_move(source, target) is allowed


def test_every_move_is_in_the_table():
    assert {(s, t) for s, t, _ in MOVES} == {(s, t) for s in ReturnStatus for t in ReturnStatus}
    assert set(ALLOWED_TRANSITIONS) == set(ReturnStatus)


def test_only_a_draft_can_be_edited():
    assert is_editable(ReturnStatus.DRAFT)
    assert not is_editable(ReturnStatus.SUBMITTED)
