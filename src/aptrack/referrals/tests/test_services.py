import datetime as dt

import pytest

from aptrack.audit.models import AuditAction, AuditEvent, Channel
from aptrack.referrals import services
from aptrack.referrals.models import Referral, ReferralEvent
from aptrack.referrals.states import ReferralStatus
from aptrack.referrals.tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db
AT = dt.datetime(2026, 11, 23, 10, 30, tzinfo=dt.UTC)
S = ReferralStatus


def _data(**overrides):
    data = {
        "route": "EBSA",
        "first_day_of_exclusion": None,
        "primary_reason": "MEDICAL",
        "needs_summary": "Anxiety; not attended since September.",
        "family_views": "",
        "child_views": "",
        "views_not_obtained_reason": "",
        "consent_given": False,
        "proposed_tier": 1,
        "estimated_weekly_cost": None,
    }
    data.update(overrides)
    return data


def _create(actor, child, **overrides):
    return services.create_referral(
        actor=actor, at=AT, channel=Channel.WEB, child=child, data=_data(**overrides)
    )


# --- create ------------------------------------------------------------------------------------


def test_an_officer_starts_a_draft_for_a_child_of_their_la(world):
    referral = _create(world.officer_a, world.child_a)
    assert referral.status == S.DRAFT
    assert referral.commissioning_la == world.child_a.home_la
    assert referral.commissioning_school is None
    assert referral.referrer == world.officer_a
    event = referral.events.get()
    assert (event.from_status, event.to_status, event.by, event.at) == (
        "",
        S.DRAFT,
        world.officer_a,
        AT,
    )
    audit = AuditEvent.objects.get(action=AuditAction.CREATED, object_type="referrals.Referral")
    assert audit.child_id == world.child_a.pk


def test_a_school_commissions_for_its_own_pupil_naming_its_la(world):
    referral = _create(
        world.school_y, world.child_a, route="EARLY_INTERVENTION", primary_reason="BEHAVIOUR"
    )
    assert referral.commissioning_school == world.school_y.organisation
    assert referral.commissioning_la == world.school_y.organisation.local_authority


@pytest.mark.parametrize(
    ("persona", "child"),
    [
        ("school_y", "child_a2"),  # not their pupil
        ("officer_b", "child_a"),  # another LA's child
        ("provider_x", "child_a"),
        ("social_worker", "child_a"),
        ("panel_member", "child_a"),
        ("analyst", "child_a"),
    ],
)
def test_others_cannot_start_a_referral(world, persona, child):
    with pytest.raises(services.ReferralNotAllowed):
        _create(getattr(world, persona), getattr(world, child))
    assert not Referral.objects.exists()


def test_a_permanent_exclusion_needs_its_first_day(world):
    with pytest.raises(services.ReferralInvalid) as refused:
        _create(world.officer_a, world.child_a, route="PEX", primary_reason="PEX")
    assert "first_day_of_exclusion" in refused.value.errors


def test_a_permanent_exclusion_is_the_primary_reason(world):
    with pytest.raises(services.ReferralInvalid) as refused:
        _create(
            world.officer_a,
            world.child_a,
            route="PEX",
            primary_reason="MEDICAL",
            first_day_of_exclusion=dt.date(2026, 11, 2),
        )
    assert refused.value.errors == {
        "primary_reason": [
            "For a permanent exclusion the primary reason is permanent exclusion: it takes precedence over any other reason"
        ]
    }


def test_a_first_day_is_dropped_for_routes_that_are_not_exclusions(world):
    referral = _create(world.officer_a, world.child_a, first_day_of_exclusion=dt.date(2026, 11, 2))
    assert referral.first_day_of_exclusion is None


def test_missing_needs_route_reason_and_tier_are_named(world):
    with pytest.raises(services.ReferralInvalid) as refused:
        _create(
            world.officer_a,
            world.child_a,
            needs_summary="  ",
            route="",
            primary_reason="",
            proposed_tier=None,
        )
    assert set(refused.value.errors) == {
        "needs_summary",
        "route",
        "primary_reason",
        "proposed_tier",
    }


def test_cost_cannot_be_negative(world):
    with pytest.raises(services.ReferralInvalid) as refused:
        _create(world.officer_a, world.child_a, estimated_weekly_cost=-1)
    assert "estimated_weekly_cost" in refused.value.errors


# --- update ------------------------------------------------------------------------------------


def _update(actor, referral, version=None, **overrides):
    return services.update_referral(
        actor=actor,
        at=AT,
        channel=Channel.WEB,
        referral=referral,
        data=_data(**overrides),
        expected_version=referral.version if version is None else version,
    )


def test_changing_a_draft_leaves_an_event_naming_the_fields(world):
    referral = _create(world.officer_a, world.child_a)
    changed = _update(world.officer_a, referral, needs_summary="New summary", proposed_tier=2)
    assert changed.version == referral.version + 1
    event = changed.events.order_by("-pk").first()
    assert event.from_status == event.to_status == S.DRAFT
    assert event.reason == "Details changed: needs summary, proposed tier"


def test_saving_without_changes_changes_nothing(world):
    referral = _create(world.officer_a, world.child_a)
    _update(world.officer_a, referral)
    assert referral.events.count() == 1


def test_a_stale_version_is_refused(world):
    referral = _create(world.officer_a, world.child_a)
    with pytest.raises(services.ReferralChangedElsewhere):
        _update(world.officer_a, referral, version=referral.version - 1, needs_summary="Mine")


@pytest.mark.parametrize("status", [S.ON_AGENDA, S.APPROVED, S.DECLINED, S.DEFERRED, S.WITHDRAWN])
def test_a_referral_on_an_agenda_or_decided_cannot_be_changed(world, status):
    referral = ReferralFactory(child=world.child_a, referrer=world.officer_a, status=status)
    with pytest.raises(services.ReferralNotAllowed):
        _update(world.officer_a, referral, needs_summary="Late change")


def test_only_the_commissioner_changes_a_referral(world):
    la_referral = _create(world.officer_a, world.child_a)
    with pytest.raises(services.ReferralNotAllowed):
        _update(world.school_y, la_referral, needs_summary="School edit")
    with pytest.raises(services.ReferralNotAllowed):
        _update(world.officer_b, la_referral, needs_summary="Hackney edit")
    school_referral = _create(world.school_y, world.child_a)
    # The LA oversees a school's referral but does not change it.
    with pytest.raises(services.ReferralNotAllowed):
        _update(world.officer_a, school_referral, needs_summary="LA edit")


# --- submit ------------------------------------------------------------------------------------


def _submit(actor, referral):
    return services.submit_referral(actor=actor, at=AT, channel=Channel.WEB, referral=referral)


def test_a_draft_without_consent_or_views_is_not_ready(world):
    referral = _create(world.officer_a, world.child_a)
    with pytest.raises(services.ReferralNotReady) as refused:
        _submit(world.officer_a, referral)
    assert set(refused.value.errors) == {"consent_given", "family_views", "child_views"}
    referral.refresh_from_db()
    assert referral.status == S.DRAFT


def test_the_child_s_views_are_needed_as_well_as_the_family_s(world):
    referral = _create(
        world.officer_a, world.child_a, consent_given=True, family_views="Supportive"
    )
    with pytest.raises(services.ReferralNotReady) as refused:
        _submit(world.officer_a, referral)
    assert set(refused.value.errors) == {"child_views"}


def test_a_recorded_reason_stands_in_for_a_view_that_could_not_be_obtained(world):
    referral = _create(
        world.officer_a,
        world.child_a,
        consent_given=True,
        family_views="Supportive",
        views_not_obtained_reason="Child in hospital; views to follow via the ward teacher",
    )
    submitted = _submit(world.officer_a, referral)
    assert submitted.status == S.SUBMITTED
    event = submitted.events.order_by("-pk").first()
    assert (event.from_status, event.to_status, event.by) == (S.DRAFT, S.SUBMITTED, world.officer_a)


def test_a_school_submits_its_own_referral(world):
    referral = _create(
        world.school_y, world.child_a, consent_given=True, family_views="Yes", child_views="Yes"
    )
    assert _submit(world.school_y, referral).status == S.SUBMITTED


def test_another_la_cannot_submit(world):
    referral = _create(
        world.officer_a, world.child_a, consent_given=True, family_views="Yes", child_views="Yes"
    )
    with pytest.raises(services.ReferralNotAllowed):
        _submit(world.officer_b, referral)


# --- withdraw ----------------------------------------------------------------------------------


def test_withdrawing_needs_a_reason(world):
    referral = _create(world.officer_a, world.child_a)
    with pytest.raises(services.ReferralInvalid) as refused:
        services.withdraw_referral(
            actor=world.officer_a, at=AT, channel=Channel.WEB, referral=referral, reason=" "
        )
    assert "reason" in refused.value.errors
    assert not ReferralEvent.objects.filter(to_status=S.WITHDRAWN).exists()


def test_withdrawing_records_who_when_and_why(world):
    referral = _create(world.officer_a, world.child_a)
    services.withdraw_referral(
        actor=world.manager_a,
        at=AT,
        channel=Channel.API,
        referral=referral,
        reason="Exclusion overturned by governors",
    )
    event = referral.events.get(to_status=S.WITHDRAWN)
    assert (event.by, event.at, event.reason) == (
        world.manager_a,
        AT,
        "Exclusion overturned by governors",
    )
    assert AuditEvent.objects.filter(channel=Channel.API, child_id=world.child_a.pk).exists()
