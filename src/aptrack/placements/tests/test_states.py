"""The transitions table, without the database."""

import pytest

from aptrack.placements.states import ALLOWED_TRANSITIONS, OPEN_STATUSES, PlacementStatus, can_move

S = PlacementStatus
ALLOWED = {(S.PLANNED, S.ACTIVE), (S.PLANNED, S.CANCELLED), (S.ACTIVE, S.ENDED)}


@pytest.mark.parametrize("source", list(S))
@pytest.mark.parametrize("target", list(S))
def test_only_the_listed_moves_are_allowed(source, target):
    assert can_move(source, target) is ((source, target) in ALLOWED)


def test_every_status_has_a_row_and_ended_and_cancelled_are_final():
    assert set(ALLOWED_TRANSITIONS) == set(S)
    assert ALLOWED_TRANSITIONS[S.ENDED] == ALLOWED_TRANSITIONS[S.CANCELLED] == frozenset()
    assert frozenset({S.PLANNED, S.ACTIVE}) == OPEN_STATUSES
