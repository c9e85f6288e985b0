"""Every allowed and forbidden move of an alert, as a table (no database)."""

import pytest

from aptrack.alerts.states import ALLOWED_TRANSITIONS, AlertStatus, can_move

S = AlertStatus
ALLOWED = {(S.OPEN, S.ACKNOWLEDGED), (S.OPEN, S.RESOLVED), (S.ACKNOWLEDGED, S.RESOLVED)}


@pytest.mark.parametrize("source", list(S))
@pytest.mark.parametrize("target", list(S))
def test_moves(source, target):
    assert can_move(source, target) == ((source, target) in ALLOWED)


def test_every_status_has_a_row():
    assert set(ALLOWED_TRANSITIONS) == set(S)
