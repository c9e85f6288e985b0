import pytest

from aptrack.quality.states import (
    ActionStatus,
    VisitStatus,
    can_move_action,
    can_move_visit,
)

VISIT_MOVES = [
    (VisitStatus.DRAFT, VisitStatus.COMPLETED, True),
    (VisitStatus.DRAFT, VisitStatus.DRAFT, False),
    (VisitStatus.COMPLETED, VisitStatus.DRAFT, False),
    (VisitStatus.COMPLETED, VisitStatus.COMPLETED, False),
]


@pytest.mark.parametrize(("source", "target", "allowed"), VISIT_MOVES)
def test_visit_moves(source, target, allowed):
    assert can_move_visit(source, target) is allowed


ACTION_MOVES = [
    (ActionStatus.OPEN, ActionStatus.DONE, True),
    (ActionStatus.DONE, ActionStatus.OPEN, True),
    (ActionStatus.OPEN, ActionStatus.OPEN, False),
    (ActionStatus.DONE, ActionStatus.DONE, False),
]


@pytest.mark.parametrize(("source", "target", "allowed"), ACTION_MOVES)
def test_action_moves(source, target, allowed):
    assert can_move_action(source, target) is allowed


def test_every_status_has_a_row_in_its_table():
    from aptrack.quality.states import ACTION_TRANSITIONS, VISIT_TRANSITIONS

    assert set(VISIT_TRANSITIONS) == set(VisitStatus)
    assert set(ACTION_TRANSITIONS) == set(ActionStatus)
