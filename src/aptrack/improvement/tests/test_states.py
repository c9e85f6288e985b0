import pytest

from aptrack.improvement.states import ALLOWED_TRANSITIONS, TAG_CLASSES, RagStatus, can_move

S = RagStatus
ALLOWED = {
    (S.NOT_STARTED, S.GREEN),
    (S.NOT_STARTED, S.AMBER),
    (S.NOT_STARTED, S.RED),
    (S.NOT_STARTED, S.COMPLETE),
    (S.GREEN, S.AMBER),
    (S.GREEN, S.RED),
    (S.GREEN, S.COMPLETE),
    (S.AMBER, S.GREEN),
    (S.AMBER, S.RED),
    (S.AMBER, S.COMPLETE),
    (S.RED, S.GREEN),
    (S.RED, S.AMBER),
    (S.RED, S.COMPLETE),
    (S.COMPLETE, S.GREEN),
    (S.COMPLETE, S.AMBER),
    (S.COMPLETE, S.RED),
}


@pytest.mark.parametrize("source", list(S))
@pytest.mark.parametrize("target", list(S))
def test_every_move_is_allowed_or_forbidden_as_the_table_says(source, target):
    assert can_move(source, target) is ((source, target) in ALLOWED)


def test_nothing_goes_back_to_not_started_and_every_status_has_a_tag():
    assert all(S.NOT_STARTED not in targets for targets in ALLOWED_TRANSITIONS.values())
    assert set(TAG_CLASSES) == set(S)
