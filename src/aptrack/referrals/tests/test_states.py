"""The referral state table itself: pure Python, no database."""

import itertools

import pytest

from aptrack.referrals.states import (
    ALLOWED_TRANSITIONS,
    OPEN_STATUSES,
    PANEL_DECISIONS,
    ReferralStatus,
    can_move,
)

S = ReferralStatus
ALLOWED = {
    (S.DRAFT, S.SUBMITTED),
    (S.DRAFT, S.WITHDRAWN),
    (S.SUBMITTED, S.ON_AGENDA),
    (S.SUBMITTED, S.WITHDRAWN),
    (S.ON_AGENDA, S.APPROVED),
    (S.ON_AGENDA, S.DECLINED),
    (S.ON_AGENDA, S.DEFERRED),
    (S.ON_AGENDA, S.WITHDRAWN),
    (S.DEFERRED, S.ON_AGENDA),
    (S.DEFERRED, S.WITHDRAWN),
}


@pytest.mark.parametrize(("source", "target"), list(itertools.product(S, S)), ids=lambda s: s.value)
def test_every_move_is_allowed_or_forbidden_as_the_table_says(source, target):
    assert can_move(source, target) is ((source, target) in ALLOWED)


def test_every_state_has_a_row():
    assert set(ALLOWED_TRANSITIONS) == set(S)


def test_decided_and_withdrawn_referrals_are_final():
    for status in (S.APPROVED, S.DECLINED, S.WITHDRAWN):
        assert ALLOWED_TRANSITIONS[status] == frozenset()
        assert status not in OPEN_STATUSES


def test_only_a_referral_on_an_agenda_can_be_decided():
    for source in S:
        for decision in PANEL_DECISIONS:
            assert can_move(source, decision) == (source == S.ON_AGENDA)
