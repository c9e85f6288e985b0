"""Every referral move, allowed and forbidden, against the database: first through the one
place a status changes, then through each public door that makes a move."""

import datetime as dt
import itertools

import pytest
from django.db import transaction

from aptrack.audit.models import AuditEvent, Channel
from aptrack.panels import services as panel_services
from aptrack.panels.models import AgendaItem
from aptrack.panels.tests.factories import quorate
from aptrack.referrals import services
from aptrack.referrals.models import ReferralEvent
from aptrack.referrals.states import ReferralStatus, can_move
from aptrack.referrals.tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db
S = ReferralStatus
AT = dt.datetime(2026, 11, 23, 10, 30, tzinfo=dt.UTC)
AT_MEETING = dt.datetime(2026, 12, 3, 11, 0, tzinfo=dt.UTC)  # a panel decides at its meeting
PAIRS = list(itertools.product(S, S))


def _referral(world, status):
    return ReferralFactory(child=world.child_a, referrer=world.officer_a, status=status)


@pytest.mark.parametrize(("source", "target"), PAIRS, ids=lambda s: s.value)
def test_each_move_is_made_or_refused_by_the_table(world, source, target):
    referral = _referral(world, source)
    with transaction.atomic():
        locked = services._lock(referral)
        if can_move(source, target):
            event = services._move(
                locked=locked,
                target=target,
                actor=world.manager_a,
                at=AT,
                channel=Channel.WEB,
                reason="Because",
                where="/test",
            )
            assert (event.from_status, event.to_status, event.by, event.at, event.reason) == (
                source,
                target,
                world.manager_a,
                AT,
                "Because",
            )
            audit = AuditEvent.objects.get(
                object_type="referrals.Referral", object_id=str(referral.pk)
            )
            assert audit.child_id == world.child_a.pk
            assert audit.changes["status"] == {"old": source.value, "new": target.value}
        else:
            with pytest.raises(services.ReferralMoveNotAllowed) as refused:
                services._move(
                    locked=locked,
                    target=target,
                    actor=world.manager_a,
                    at=AT,
                    channel=Channel.WEB,
                    reason="Because",
                    where="/test",
                )
            assert str(refused.value).startswith("This referral is ")
            assert not ReferralEvent.objects.filter(referral=referral).exists()
    referral.refresh_from_db()
    assert referral.status == (target if can_move(source, target) else source)


@pytest.mark.parametrize("source", list(S), ids=lambda s: s.value)
def test_submit_from_each_state(world, source):
    referral = _referral(world, source)
    if source == S.DRAFT:
        services.submit_referral(
            actor=world.officer_a, at=AT, channel=Channel.WEB, referral=referral
        )
        referral.refresh_from_db()
        assert referral.status == S.SUBMITTED
    else:
        with pytest.raises(services.ReferralMoveNotAllowed):
            services.submit_referral(
                actor=world.officer_a, at=AT, channel=Channel.WEB, referral=referral
            )


@pytest.mark.parametrize("source", list(S), ids=lambda s: s.value)
def test_withdraw_from_each_state(world, source):
    referral = _referral(world, source)
    if can_move(source, S.WITHDRAWN):
        services.withdraw_referral(
            actor=world.officer_a,
            at=AT,
            channel=Channel.WEB,
            referral=referral,
            reason="Family moved away",
        )
        referral.refresh_from_db()
        assert referral.status == S.WITHDRAWN
        assert referral.events.get().reason == "Family moved away"
    else:
        with pytest.raises(services.ReferralMoveNotAllowed):
            services.withdraw_referral(
                actor=world.officer_a,
                at=AT,
                channel=Channel.WEB,
                referral=referral,
                reason="Family moved away",
            )


@pytest.mark.parametrize("source", list(S), ids=lambda s: s.value)
def test_add_to_agenda_from_each_state(world, dorset_meeting, source):
    referral = _referral(world, source)
    if source in (S.SUBMITTED, S.DEFERRED):
        item = panel_services.add_to_agenda(
            actor=world.officer_a,
            at=AT,
            channel=Channel.WEB,
            meeting=dorset_meeting,
            referral=referral,
        )
        referral.refresh_from_db()
        assert referral.status == S.ON_AGENDA
        assert item.position == 1
    else:
        with pytest.raises(services.ReferralMoveNotAllowed):
            panel_services.add_to_agenda(
                actor=world.officer_a,
                at=AT,
                channel=Channel.WEB,
                meeting=dorset_meeting,
                referral=referral,
            )
        assert not AgendaItem.objects.exists()


DECISION = {
    "reasons": "Needs met best in a small setting",
    "approved_tier": 2,
    "proposed_weekly_cost": 450,
    "value_for_money_note": "Cheaper than the independent special school considered",
}


@pytest.mark.parametrize("outcome", ["APPROVED", "DECLINED", "DEFERRED"])
@pytest.mark.parametrize("source", list(S), ids=lambda s: s.value)
def test_decide_from_each_state(world, dorset_meeting, source, outcome):
    referral = _referral(world, source)
    item = AgendaItem.objects.create(meeting=dorset_meeting, referral=referral, position=1)
    quorate(dorset_meeting)
    decide = lambda: panel_services.record_decision(  # noqa: E731
        actor=world.panel_member,
        at=AT_MEETING,
        channel=Channel.WEB,
        agenda_item=item,
        data={**DECISION, "outcome": outcome},
    )
    if source == S.ON_AGENDA:
        decide()
        referral.refresh_from_db()
        assert referral.status == outcome
    else:
        with pytest.raises(services.ReferralMoveNotAllowed):
            decide()
        referral.refresh_from_db()
        assert referral.status == source


@pytest.mark.parametrize("source", list(S), ids=lambda s: s.value)
def test_carry_forward_from_each_state(world, dorset_meeting, source):
    referral = _referral(world, source)
    item = AgendaItem.objects.create(meeting=dorset_meeting, referral=referral, position=1)
    carry = lambda: panel_services.carry_forward_item(  # noqa: E731
        actor=world.panel_member,
        at=AT,
        channel=Channel.WEB,
        agenda_item=item,
        reason="Ran out of time",
    )
    if source == S.ON_AGENDA:
        carry()
        referral.refresh_from_db()
        assert referral.status == S.DEFERRED
    else:
        with pytest.raises(services.ReferralMoveNotAllowed):
            carry()
