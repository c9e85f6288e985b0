import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.db import connections

from aptrack.audit.models import AuditAction, AuditEvent
from aptrack.children.tests.factories import ChildFactory
from aptrack.placements.models import FollowUp, Placement
from aptrack.placements.services import endings as placement_endings
from aptrack.placements.services import errors as placement_errors
from aptrack.placements.services import follow_ups as placement_follow_ups
from aptrack.placements.services import messages as placement_messages
from aptrack.placements.services import moves as placement_moves
from aptrack.placements.services import outcomes as placement_outcomes
from aptrack.placements.services import passport as placement_passport
from aptrack.placements.services import plan as placement_plan
from aptrack.placements.services import reviews as placement_reviews
from aptrack.placements.states import ALLOWED_TRANSITIONS, EventKind, PlacementStatus
from aptrack.placements.tests.factories import (
    AT,
    START,
    OutcomeFactory,
    PlanFactory,
    ReferralFactory,
    SiteFactory,
)
from aptrack.providers.models import ProviderApproval
from aptrack.providers.tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db

WEEKS_10 = START + dt.timedelta(weeks=10)


def _create(world, setting, actor=None, **changes):
    return placement_plan.create_placement(
        actor=actor or world.officer_a, at=AT, data=setting.data(world, **changes)
    )


def _errors(excinfo):
    return excinfo.value.errors


# --- creating a placement --------------------------------------------------------------------


def test_creates_a_planned_placement_from_an_approved_referral(world, setting):
    placement = _create(world, setting)
    assert placement.status == PlacementStatus.PLANNED
    assert placement.provider == world.provider_x.organisation
    assert placement.commissioning_la == world.child_a2.home_la
    assert placement.referral == setting.referral
    assert placement.weekly_cost == Decimal("500.00")  # £20 an hour × 25 hours
    assert placement.maximum_end_date == START + dt.timedelta(weeks=12)
    event = placement.events.get()
    assert (event.kind, event.to_status, event.by) == (
        EventKind.CREATED,
        "PLANNED",
        world.officer_a,
    )
    assert AuditEvent.objects.filter(
        child_id=world.child_a2.pk, action=AuditAction.CREATED
    ).exists()


def test_a_placement_whose_start_has_come_is_active_at_once(world, setting):
    placement = placement_plan.create_placement(
        actor=world.officer_a, at=AT + dt.timedelta(days=6), data=setting.data(world)
    )
    assert placement.status == PlacementStatus.ACTIVE


def test_outcomes_can_be_given_with_the_plan(world, setting):
    outcome = {
        "description": "Attend every session",
        "measure": "Register",
        "baseline": "40%",
        "target": "90%",
    }
    placement = _create(world, setting, outcomes=[outcome])
    assert list(placement.outcomes.values_list("description", flat=True)) == [
        "Attend every session"
    ]
    with pytest.raises(placement_errors.PlacementInvalid) as excinfo:
        _create(world, setting, outcomes=[{**outcome, "baseline": ""}])
    assert "outcomes.0.baseline" in _errors(excinfo)


def test_site_must_belong_to_the_provider(world, setting):
    other_site = SiteFactory(provider=ProviderFactory())
    with pytest.raises(placement_errors.PlacementInvalid) as excinfo:
        _create(world, setting, site=other_site)
    assert _errors(excinfo)["site"] == [placement_messages.SITE_NOT_PROVIDERS]


@pytest.mark.parametrize(
    ("start", "message"),
    [
        (
            dt.date(2026, 12, 20),
            placement_messages.WEEKEND_NOT_SCHOOL_DAY.format(
                date="20 December 2026", weekday="Sunday"
            ),
        ),
        (
            dt.date(2026, 12, 21),
            placement_messages.HOLIDAY_NOT_SCHOOL_DAY.format(date="21 December 2026"),
        ),
    ],
)
def test_a_placement_starts_on_a_school_day(world, setting, start, message):
    with pytest.raises(placement_errors.PlacementInvalid) as excinfo:
        _create(world, setting, start_date=start, planned_end_date=dt.date(2027, 2, 26))
    assert _errors(excinfo)["start_date"] == [message]


@pytest.mark.parametrize("end", [START, START - dt.timedelta(days=1)])
def test_planned_end_must_be_after_the_start(world, setting, end):
    with pytest.raises(placement_errors.PlacementInvalid) as excinfo:
        _create(world, setting, planned_end_date=end)
    assert _errors(excinfo)["planned_end_date"] == [placement_messages.END_BEFORE_START]


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        (Decimal("40.5"), placement_messages.HOURS_OVER_WEEK),
        (Decimal(0), placement_messages.HOURS_NOT_POSITIVE),
    ],
)
def test_hours_must_fit_a_school_week(world, setting, hours, message):
    with pytest.raises(placement_errors.PlacementInvalid) as excinfo:
        _create(world, setting, hours_per_week=hours)
    assert _errors(excinfo)["hours_per_week"] == [message]


def test_forty_hours_is_allowed(world, setting):
    assert _create(world, setting, hours_per_week=Decimal(40)).hours_per_week == Decimal(40)


def test_concurrent_placements_add_up_to_at_most_forty_hours(world, setting):
    # child_a already has a 25-hour placement with provider X, open-ended.
    referral = ReferralFactory(child=world.child_a, referrer=world.officer_a)
    with pytest.raises(placement_errors.PlacementInvalid) as excinfo:
        _create(world, setting, child=world.child_a, referral=referral, hours_per_week=Decimal(20))
    assert _errors(excinfo)["hours_per_week"] == [
        placement_messages.TOTAL_HOURS_OVER_WEEK.format(total="45")
    ]
    placement = _create(
        world, setting, child=world.child_a, referral=referral, hours_per_week=Decimal(15)
    )
    assert placement.hours_per_week == Decimal(15)


def test_placements_that_do_not_overlap_do_not_add_up(world, setting):
    PlanFactory(
        child=world.child_a2,
        provider=world.provider_x.organisation,
        start_date=START - dt.timedelta(weeks=20),
        planned_end_date=START - dt.timedelta(days=1),
    )
    assert _create(world, setting, hours_per_week=Decimal(30)).pk


def test_home_school_hours_count_towards_the_week(world, setting):
    with pytest.raises(placement_errors.PlacementInvalid) as excinfo:
        _create(world, setting, hours_per_week=Decimal(30), home_school_hours_per_week=Decimal(15))
    assert _errors(excinfo)["hours_per_week"] == [
        placement_messages.TOTAL_HOURS_OVER_WEEK.format(total="45")
    ]
    # 10 hours here and 15 at school is full-time (25): no part-time timetable needed.
    placement = _create(
        world, setting, hours_per_week=Decimal(10), home_school_hours_per_week=Decimal(15)
    )
    assert placement.part_time_reason == ""


def test_part_time_needs_reason_agreement_review_date_and_plan(world, setting):
    with pytest.raises(placement_errors.PlacementInvalid) as excinfo:
        _create(world, setting, hours_per_week=Decimal(15))
    errors = _errors(excinfo)
    assert set(errors) == {
        "part_time_reason",
        "part_time_parent_agreed",
        "part_time_review_date",
        "part_time_plan_to_full_time",
    }
    assert errors["part_time_reason"] == [
        placement_messages.PART_TIME_REASON_NEEDED.format(total="15", threshold="25", stage="KS4")
    ]
    placement = _create(
        world,
        setting,
        hours_per_week=Decimal(15),
        part_time_reason="Medical: fatigue after surgery",
        part_time_parent_agreed=True,
        part_time_review_date=START + dt.timedelta(weeks=2),
        part_time_plan_to_full_time="Add 5 hours every fortnight",
    )
    assert placement.part_time_parent_agreed is True


def test_part_time_review_date_cannot_be_before_the_start(world, setting):
    with pytest.raises(placement_errors.PlacementInvalid) as excinfo:
        _create(
            world,
            setting,
            hours_per_week=Decimal(15),
            part_time_reason="Medical",
            part_time_parent_agreed=True,
            part_time_review_date=START - dt.timedelta(days=1),
            part_time_plan_to_full_time="Build up",
        )
    assert _errors(excinfo) == {
        "part_time_review_date": [placement_messages.PART_TIME_REVIEW_BEFORE_START]
    }


def test_a_full_time_plan_keeps_no_part_time_fields(world, setting):
    placement = _create(world, setting, part_time_reason="left over", part_time_parent_agreed=True)
    assert (placement.part_time_reason, placement.part_time_parent_agreed) == ("", False)


def test_full_time_threshold_is_set_by_key_stage(world, setting, settings):
    settings.APTRACK_FULL_TIME_HOURS = {"KS4": 30}
    with pytest.raises(placement_errors.PlacementInvalid) as excinfo:
        _create(world, setting, hours_per_week=Decimal(25))
    assert "30 hours at KS4" in _errors(excinfo)["part_time_reason"][0]
    # A Year 3 child (KS2) keeps the default of 25.
    young = ChildFactory(home_la=world.child_a2.home_la, date_of_birth=dt.date(2019, 1, 10))
    referral = ReferralFactory(child=young, referrer=world.officer_a)
    assert _create(world, setting, child=young, referral=referral, hours_per_week=Decimal(25)).pk


# --- open-ended placements -------------------------------------------------------------------


def test_open_ended_placement_needs_a_justification(world, setting):
    with pytest.raises(placement_errors.PlacementInvalid) as excinfo:
        _create(world, setting, planned_end_date=None, tier=3)
    assert _errors(excinfo)["planned_end_date"] == [placement_messages.PLANNED_END_NEEDED]


def test_an_officer_cannot_approve_an_open_ended_placement(world, setting):
    with pytest.raises(placement_errors.PlacementInvalid) as excinfo:
        _create(
            world, setting, planned_end_date=None, tier=3, open_ended_justification="Awaiting EHCP"
        )
    assert _errors(excinfo)["open_ended_justification"] == [
        placement_messages.OPEN_ENDED_NEEDS_MANAGER
    ]


def test_a_manager_approves_an_open_ended_placement_on_record(world, setting):
    placement = _create(
        world,
        setting,
        actor=world.manager_a,
        planned_end_date=None,
        tier=3,
        open_ended_justification="Awaiting a special school place named in the EHCP",
    )
    assert placement.open_ended_approved_by == world.manager_a
    assert placement.events.filter(kind=EventKind.OPEN_ENDED_APPROVED).exists()


def test_tier_2_with_a_non_school_provider_ends_within_twelve_weeks(world, setting):
    with pytest.raises(placement_errors.PlacementInvalid) as excinfo:
        _create(world, setting, planned_end_date=START + dt.timedelta(weeks=13))
    assert "at most 12 weeks" in _errors(excinfo)["planned_end_date"][0]
    assert _create(world, setting, planned_end_date=START + dt.timedelta(weeks=12)).pk


def test_maximum_length_is_configurable_and_absent_for_registered_providers(
    world, setting, settings
):
    settings.APTRACK_TIER_2_MAXIMUM_WEEKS = {"NON_SCHOOL": 6}
    with pytest.raises(placement_errors.PlacementInvalid):
        _create(world, setting)  # 10 weeks
    setting.provider.kind = "PRU"
    setting.provider.save()
    placement = _create(world, setting, planned_end_date=START + dt.timedelta(weeks=35))
    assert placement.maximum_end_date is None


# --- referrals and commissioners -------------------------------------------------------------


@pytest.mark.parametrize(
    "status", ["DRAFT", "SUBMITTED", "ON_AGENDA", "DECLINED", "DEFERRED", "WITHDRAWN"]
)
def test_referral_must_be_approved(world, setting, status):
    setting.referral.status = status
    setting.referral.save()
    with pytest.raises(placement_errors.PlacementInvalid) as excinfo:
        _create(world, setting)
    assert _errors(excinfo)["referral"] == [placement_messages.REFERRAL_NOT_APPROVED]


def test_referral_must_be_for_the_same_child_and_la(world, setting):
    hackney_referral = ReferralFactory(child=world.child_b, referrer=world.officer_b)
    with pytest.raises(placement_errors.PlacementInvalid) as excinfo:
        _create(world, setting, referral=hackney_referral)
    assert _errors(excinfo)["referral"] == [
        placement_messages.REFERRAL_OTHER_CHILD,
        placement_messages.REFERRAL_OTHER_LA,
    ]


def test_without_a_referral_only_school_commissioned_tier_1(world, setting):
    with pytest.raises(placement_errors.PlacementInvalid) as excinfo:
        _create(world, setting, referral=None)
    assert _errors(excinfo)["tier"] == [placement_messages.NO_REFERRAL_TIER_1_ONLY]
    assert _errors(excinfo)["commissioning_school"] == [placement_messages.SCHOOL_NEEDED]


def test_a_school_commissions_tier_1_for_its_pupil(world, setting):
    placement = placement_plan.create_placement(
        actor=world.school_y,
        at=AT,
        data=setting.data(
            world,
            child=world.child_a,
            referral=None,
            tier=1,
            hours_per_week=Decimal(10),
            planned_end_date=START + dt.timedelta(weeks=6),
        ),
    )
    assert placement.commissioning_school == world.school_y.organisation
    assert placement.commissioning_la == world.child_a.home_la  # the school's LA, for oversight
    assert placement.maximum_end_date is None


def test_an_officer_records_a_school_commission(world, setting):
    placement = _create(
        world, setting, referral=None, tier=1, commissioning_school=world.school_y.organisation
    )
    assert placement.commissioning_school == world.school_y.organisation


# --- provider standing and compliance --------------------------------------------------------


@pytest.mark.parametrize("status", ["REFERRALS_PAUSED", "NOT_APPROVED"])
def test_provider_paused_or_not_approved_by_the_la_is_refused(world, setting, status):
    ProviderApproval.objects.filter(provider=setting.provider).update(status=status)
    with pytest.raises(placement_errors.ProviderNotApproved) as excinfo:
        _create(world, setting, actor=world.manager_a)
    assert "no new placements" in _errors(excinfo)["provider"][0]
    assert not Placement.objects.filter(child=world.child_a2).exists()


@pytest.mark.parametrize("status", ["APPROVED", "CONDITIONAL", "NOT_ASSESSED"])
def test_provider_in_standing_is_accepted(world, setting, status):
    ProviderApproval.objects.filter(provider=setting.provider).update(status=status)
    assert _create(world, setting).pk


def test_non_compliant_provider_is_refused(world, setting):
    setting.non_compliant.add(setting.provider.pk)
    with pytest.raises(placement_errors.ProviderNotCompliant) as excinfo:
        _create(world, setting)
    assert _errors(excinfo)["provider"] == [
        placement_messages.PROVIDER_NOT_COMPLIANT.format(provider="Provider X")
    ]


def test_an_officer_cannot_override_compliance(world, setting):
    setting.non_compliant.add(setting.provider.pk)
    with pytest.raises(placement_errors.ProviderNotCompliant) as excinfo:
        _create(world, setting, compliance_override_reason="Only provider with a place")
    assert _errors(excinfo)["compliance_override_reason"] == [
        placement_messages.OVERRIDE_NEEDS_MANAGER
    ]


def test_a_manager_overrides_compliance_with_a_recorded_reason(world, setting):
    setting.non_compliant.add(setting.provider.pk)
    placement = _create(
        world,
        setting,
        actor=world.manager_a,
        compliance_override_reason="Insurance renewal in the post; checked by phone",
    )
    assert placement.compliance_override_reason.startswith("Insurance renewal")
    assert placement.events.filter(kind=EventKind.COMPLIANCE_OVERRIDDEN).exists()


def test_an_override_is_not_kept_for_a_compliant_provider(world, setting):
    placement = _create(
        world, setting, actor=world.manager_a, compliance_override_reason="not needed"
    )
    assert placement.compliance_override_reason == ""


def test_quality_app_judges_compliance_when_installed(world, setting, monkeypatch):
    monkeypatch.undo()  # the real quality selector: a provider with no evidence is not compliant
    with pytest.raises(placement_errors.ProviderNotCompliant):
        _create(world, setting)


def test_without_the_quality_app_providers_count_as_compliant(world, setting, monkeypatch):
    setting.non_compliant.add(setting.provider.pk)
    real = apps.is_installed
    monkeypatch.setattr(
        apps, "is_installed", lambda name: False if name == "aptrack.quality" else real(name)
    )
    assert _create(world, setting).pk


def test_weekly_cost_from_a_daily_rate(world, setting):
    setting.provider.hourly_rate = None
    setting.provider.daily_rate = Decimal("100.00")
    setting.provider.save()
    assert _create(world, setting).weekly_cost == Decimal("500.00")  # 25 hours = 5 days


def test_weekly_cost_is_taken_from_the_caller_when_the_provider_has_no_rate(world, setting):
    setting.provider.hourly_rate = None
    setting.provider.save()
    assert _create(world, setting, weekly_cost=Decimal("640")).weekly_cost == Decimal("640.00")


# --- changing the plan -----------------------------------------------------------------------


def test_plan_change_is_recorded_and_bumps_the_version(world, setting):
    placement = _create(world, setting)
    changed = placement_plan.update_plan(
        actor=world.officer_a,
        at=AT,
        placement=placement,
        data={"hours_per_week": Decimal(30)},
        expected_version=1,
    )
    assert (changed.hours_per_week, changed.version, changed.weekly_cost) == (
        Decimal(30),
        2,
        Decimal("600.00"),
    )
    event = changed.events.get(kind=EventKind.PLAN_CHANGED)
    assert event.data["changes"]["hours_per_week"] == {"old": "25.0", "new": "30.0"}


def test_stale_version_is_refused(world, setting):
    placement = _create(world, setting)
    placement_plan.update_plan(
        actor=world.officer_a,
        at=AT,
        placement=placement,
        data={"exit_plan": "First officer's plan"},
        expected_version=1,
    )
    with pytest.raises(placement_errors.PlacementChangedElsewhere):
        placement_plan.update_plan(
            actor=world.manager_a,
            at=AT,
            placement=placement,
            data={"exit_plan": "Second officer's plan"},
            expected_version=1,
        )
    placement.refresh_from_db()
    assert placement.exit_plan == "First officer's plan"


def test_plan_rules_apply_to_changes(world, setting):
    placement = _create(world, setting)
    with pytest.raises(placement_errors.PlacementInvalid) as excinfo:
        placement_plan.update_plan(
            actor=world.officer_a,
            at=AT,
            placement=placement,
            data={"hours_per_week": Decimal(41), "planned_end_date": START},
            expected_version=1,
        )
    assert set(_errors(excinfo)) == {"hours_per_week", "planned_end_date"}


def test_start_date_is_fixed_once_started(world, setting):
    placement = placement_plan.create_placement(
        actor=world.officer_a, at=AT + dt.timedelta(days=7), data=setting.data(world)
    )
    with pytest.raises(placement_errors.PlacementInvalid) as excinfo:
        placement_plan.update_plan(
            actor=world.officer_a,
            at=AT,
            placement=placement,
            data={"start_date": START + dt.timedelta(days=1)},
            expected_version=1,
        )
    assert _errors(excinfo) == {"start_date": [placement_messages.START_FIXED]}


def test_an_approved_open_ended_plan_stays_approved_when_an_officer_edits_it(world, setting):
    placement = _create(
        world,
        setting,
        actor=world.manager_a,
        planned_end_date=None,
        tier=3,
        open_ended_justification="Awaiting EHCP",
    )
    changed = placement_plan.update_plan(
        actor=world.officer_a,
        at=AT,
        placement=placement,
        data={"exit_plan": "New plan"},
        expected_version=1,
    )
    assert changed.open_ended_approved_by == world.manager_a
    with pytest.raises(placement_errors.PlacementInvalid):
        placement_plan.update_plan(
            actor=world.officer_a,
            at=AT,
            placement=changed,
            data={"open_ended_justification": "Different reason"},
            expected_version=2,
        )


# --- status moves, table-driven --------------------------------------------------------------

END_ARGS = {
    "end_date": START + dt.timedelta(weeks=1),
    "reason": "COMPLETED",
    "destination": "HOME_SCHOOL",
    "transition_plan": "Phased return",
}
LATER = AT + dt.timedelta(weeks=3)
MOVES = {
    PlacementStatus.ACTIVE: lambda actor, p: placement_moves.activate_placement(
        actor=actor, at=LATER, placement=p
    ),
    PlacementStatus.CANCELLED: lambda actor, p: placement_moves.cancel_placement(
        actor=actor, at=LATER, placement=p, reason="Family declined"
    ),
    PlacementStatus.ENDED: lambda actor, p: placement_endings.end_placement(
        actor=actor, at=LATER, placement=p, **END_ARGS
    ),
}


@pytest.mark.parametrize("source", list(PlacementStatus))
@pytest.mark.parametrize("target", list(MOVES))
def test_every_state_move_follows_the_table(world, source, target):
    placement = PlanFactory(
        child=world.child_a2,
        provider=world.provider_x.organisation,
        status=source,
        end_date=START + dt.timedelta(days=1) if source == PlacementStatus.ENDED else None,
    )
    if target in ALLOWED_TRANSITIONS[source]:
        moved = MOVES[target](world.officer_a, placement)
        assert moved.status == target
        event = moved.events.get()
        assert (event.from_status, event.to_status) == (source, target)
    else:
        with pytest.raises(placement_errors.PlacementMoveNotAllowed):
            MOVES[target](world.officer_a, placement)
        placement.refresh_from_db()
        assert placement.status == source
        assert not placement.events.exists()


def test_a_placement_cannot_start_before_its_start_date(world, setting):
    placement = _create(world, setting)
    with pytest.raises(placement_errors.PlacementInvalid) as excinfo:
        placement_moves.activate_placement(actor=world.officer_a, at=AT, placement=placement)
    assert "7 September 2026" in _errors(excinfo)[None][0]


# --- ending and after ------------------------------------------------------------------------


def _active(world, **kwargs):
    return PlanFactory(child=world.child_a2, provider=world.provider_x.organisation, **kwargs)


def test_ending_books_follow_ups_at_six_and_twelve_weeks(world):
    placement = _active(world)
    end = START + dt.timedelta(weeks=9)
    ended = placement_endings.end_placement(
        actor=world.officer_a,
        at=dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC),
        placement=placement,
        end_date=end,
        reason="COMPLETED",
        destination="HOME_SCHOOL",
        transition_plan="Two-week phased return",
    )
    assert (ended.status, ended.end_date, ended.destination) == ("ENDED", end, "HOME_SCHOOL")
    assert list(
        FollowUp.objects.filter(placement=placement)
        .order_by("weeks_after")
        .values_list("weeks_after", "due_date")
    ) == [(6, end + dt.timedelta(weeks=6)), (12, end + dt.timedelta(weeks=12))]
    assert ended.events.get().kind == EventKind.ENDED


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"end_date": START - dt.timedelta(days=1)},
            "end_date",
            placement_messages.END_DATE_BEFORE_START.format(start="7 September 2026"),
        ),
        ({"end_date": dt.date(2027, 1, 1)}, "end_date", placement_messages.END_DATE_IN_FUTURE),
        ({"transition_plan": ""}, "transition_plan", placement_messages.TRANSITION_PLAN_NEEDED),
    ],
)
def test_ending_rules(world, changes, field, message):
    placement = _active(world)
    with pytest.raises(placement_errors.PlacementInvalid) as excinfo:
        placement_endings.end_placement(
            actor=world.officer_a, at=LATER, placement=placement, **{**END_ARGS, **changes}
        )
    assert _errors(excinfo)[field] == [message]
    placement.refresh_from_db()
    assert placement.status == "ACTIVE"
    assert not placement.follow_ups.exists()


def test_ending_with_a_stale_version_is_refused(world):
    placement = _active(world)
    with pytest.raises(placement_errors.PlacementChangedElsewhere):
        placement_endings.end_placement(
            actor=world.officer_a, at=LATER, placement=placement, expected_version=7, **END_ARGS
        )


def test_follow_up_is_recorded_once(world):
    placement = _active(world)
    placement_endings.end_placement(
        actor=world.officer_a, at=LATER, placement=placement, **END_ARGS
    )
    follow_up = placement.follow_ups.get(weeks_after=6)
    at = dt.datetime(2026, 11, 2, 12, tzinfo=dt.UTC)
    data = {
        "done_date": dt.date(2026, 10, 26),
        "still_attending": True,
        "destination_sustained": False,
        "note": "Attending mornings only",
    }
    done = placement_follow_ups.record_follow_up(
        actor=world.officer_a, at=at, follow_up=follow_up, data=data
    )
    assert (done.still_attending, done.destination_sustained) == (True, False)
    assert placement.events.filter(kind=EventKind.FOLLOW_UP_RECORDED).exists()
    with pytest.raises(placement_errors.PlacementInvalid) as excinfo:
        placement_follow_ups.record_follow_up(
            actor=world.officer_a, at=at, follow_up=follow_up, data=data
        )
    assert _errors(excinfo) == {None: [placement_messages.FOLLOW_UP_DONE]}


def test_a_follow_up_cannot_be_dated_before_the_placement_ended(world):
    placement = _active(world)
    placement_endings.end_placement(
        actor=world.officer_a, at=LATER, placement=placement, **END_ARGS
    )
    with pytest.raises(placement_errors.PlacementInvalid) as excinfo:
        placement_follow_ups.record_follow_up(
            actor=world.officer_a,
            at=LATER,
            follow_up=placement.follow_ups.first(),
            data={"done_date": START, "still_attending": True, "destination_sustained": True},
        )
    assert set(_errors(excinfo)) == {"done_date"}


# --- outcomes and passport -------------------------------------------------------------------


def test_outcome_needs_description_measure_baseline_and_target(world):
    placement = _active(world)
    with pytest.raises(placement_errors.PlacementInvalid) as excinfo:
        placement_outcomes.add_outcome(
            actor=world.officer_a, at=AT, placement=placement, data={"description": "Read more"}
        )
    assert set(_errors(excinfo)) == {"measure", "baseline", "target"}
    outcome = placement_outcomes.add_outcome(
        actor=world.officer_a,
        at=AT,
        placement=placement,
        data={
            "description": "Read more",
            "measure": "Reading age",
            "baseline": "9y",
            "target": "11y",
        },
    )
    assert outcome.position == 0
    assert placement.events.get().kind == EventKind.OUTCOME_ADDED


def test_outcome_change_with_a_stale_version_is_refused(world):
    placement = _active(world)
    outcome = OutcomeFactory(placement=placement)
    data = {"description": "Read more", "measure": "Reading age", "baseline": "9y", "target": "12y"}
    placement_outcomes.change_outcome(
        actor=world.officer_a, at=AT, outcome=outcome, data=data, expected_version=1
    )
    with pytest.raises(placement_errors.PlacementChangedElsewhere):
        placement_outcomes.change_outcome(
            actor=world.officer_a, at=AT, outcome=outcome, data=data, expected_version=1
        )


def test_passport_is_written_then_updated(world):
    placement = _active(world)
    with pytest.raises(placement_errors.PlacementInvalid):
        placement_passport.update_passport(
            actor=world.officer_a, at=AT, placement=placement, data={}
        )
    placement_passport.update_passport(
        actor=world.officer_a,
        at=AT,
        placement=placement,
        data={"needs": "Dyslexia", "what_helps": "Quiet room"},
    )
    passport = placement_passport.update_passport(
        actor=world.officer_a,
        at=AT,
        placement=placement,
        data={"needs": "Dyslexia", "what_helps": "Quiet room", "contacts": "Mum 07700 900000"},
        expected_version=2,
    )
    assert passport.contacts == "Mum 07700 900000"
    assert placement.events.filter(kind=EventKind.PASSPORT_UPDATED).count() == 2


# --- reviews ---------------------------------------------------------------------------------

HELD = START + dt.timedelta(weeks=5)
REVIEW_AT = dt.datetime(2026, 10, 13, 15, tzinfo=dt.UTC)


def _review(world, placement, **changes):
    outcomes = list(placement.outcomes.all())
    data = {
        "held_date": HELD,
        "kind": "REVIEW",
        "attendance_percent": Decimal("82.5"),
        "child_views": "Likes the small groups",
        "family_views": "Happier at home",
        "scores": {o.pk: 3 for o in outcomes},
        "decision": "CONTINUE",
    }
    data.update(changes)
    return placement_reviews.record_review(
        actor=world.officer_a, at=REVIEW_AT, placement=placement, data=data
    )


@pytest.fixture
def reviewed(world):
    placement = _active(world)
    OutcomeFactory(placement=placement, description="Attendance")
    OutcomeFactory(placement=placement, description="Reading")
    return placement


def test_review_scores_every_outcome_and_sets_the_next_review(world, reviewed):
    review = _review(world, reviewed)
    assert review.progress.count() == 2
    assert review.next_review_date == HELD + dt.timedelta(days=42)
    assert reviewed.events.get().kind == EventKind.REVIEW_RECORDED


def test_review_lists_the_outcomes_not_scored(world, reviewed):
    attendance = reviewed.outcomes.get(description="Attendance")
    with pytest.raises(placement_errors.ReviewInvalid) as excinfo:
        _review(world, reviewed, scores={attendance.pk: 4})
    assert _errors(excinfo)["scores"] == [
        placement_messages.SCORES_MISSING.format(missing="Reading")
    ]


def test_review_needs_outcomes_to_score(world):
    with pytest.raises(placement_errors.ReviewInvalid) as excinfo:
        _review(world, _active(world))
    assert _errors(excinfo)[None] == [placement_messages.REVIEW_NEEDS_OUTCOMES]


def test_review_only_of_an_active_placement(world, reviewed):
    reviewed.status = "PLANNED"
    reviewed.save()
    with pytest.raises(placement_errors.ReviewInvalid) as excinfo:
        _review(world, reviewed)
    assert _errors(excinfo) == {None: [placement_messages.REVIEW_ONLY_ACTIVE]}


def test_extend_needs_a_reason_and_a_later_end(world, reviewed):
    with pytest.raises(placement_errors.ReviewInvalid) as excinfo:
        _review(world, reviewed, decision="EXTEND", new_planned_end_date=WEEKS_10)
    assert set(_errors(excinfo)) == {"decision_reason", "new_planned_end_date"}
    later = WEEKS_10 + dt.timedelta(weeks=4)
    _review(
        world,
        reviewed,
        decision="EXTEND",
        decision_reason="Reading still behind",
        new_planned_end_date=later,
    )
    reviewed.refresh_from_db()
    assert (reviewed.planned_end_date, reviewed.version) == (later, 2)
    assert reviewed.events.filter(kind=EventKind.EXTENDED).exists()


def test_change_tier_needs_a_different_tier(world, reviewed):
    with pytest.raises(placement_errors.ReviewInvalid) as excinfo:
        _review(world, reviewed, decision="CHANGE_TIER", new_tier=2)
    assert _errors(excinfo) == {"new_tier": [placement_messages.NEW_TIER_SAME]}
    _review(
        world, reviewed, decision="CHANGE_TIER", new_tier=3, decision_reason="Moving on to college"
    )
    reviewed.refresh_from_db()
    assert (reviewed.tier, reviewed.maximum_end_date) == (3, None)
    assert reviewed.events.filter(kind=EventKind.TIER_CHANGED).exists()


def test_review_cadence_is_configurable_by_tier(world, reviewed, settings):
    settings.APTRACK_REVIEW_CADENCE_DAYS = {2: 14}
    assert _review(world, reviewed).next_review_date == HELD + dt.timedelta(days=14)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"held_date": START - dt.timedelta(days=1)}, "held_date"),
        ({"held_date": dt.date(2026, 12, 1)}, "held_date"),
        ({"attendance_percent": Decimal(101)}, "attendance_percent"),
    ],
)
def test_review_input_rules(world, reviewed, changes, field):
    with pytest.raises(placement_errors.ReviewInvalid) as excinfo:
        _review(world, reviewed, **changes)
    assert field in _errors(excinfo)


# --- two officers at once --------------------------------------------------------------------


@pytest.mark.skipif(
    "postgresql" not in django_settings.DATABASES["default"]["ENGINE"],
    reason="row locks need PostgreSQL",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_officers_saving_at_once_do_not_overwrite_each_other(world, setting):
    """Both loaded version 1; the row lock makes one save wait for the other, whose version
    bump then refuses it."""
    placement = _create(world, setting)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(actor, text):
        try:
            barrier.wait()
            placement_plan.update_plan(
                actor=actor,
                at=AT,
                placement=placement,
                data={"exit_plan": text},
                expected_version=1,
            )
            outcomes.append("saved")
        except placement_errors.PlacementChangedElsewhere:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save, args=(actor, text))
        for actor, text in (
            (world.officer_a, "Officer's plan"),
            (world.manager_a, "Manager's plan"),
        )
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "saved"]
    placement.refresh_from_db()
    assert placement.version == 2


# --- checks a plan, an ending, a review and a follow-up must pass ----------------------------


def _approve(world, referral, cost, provider=None):
    from aptrack.panels.models import AgendaItem, Decision
    from aptrack.panels.tests.factories import MeetingFactory

    item = AgendaItem.objects.create(
        meeting=MeetingFactory(date=dt.date(2026, 8, 27)), referral=referral, position=1
    )
    return Decision.objects.create(
        agenda_item=item,
        outcome="APPROVED",
        reasons="Meets the criteria",
        approved_tier=2,
        proposed_provider=provider,
        proposed_weekly_cost=Decimal(cost),
        value_for_money_note="Cheapest suitable",
        members_present=3,
        decided_by=world.manager_a,
        decided_at=AT - dt.timedelta(days=5),
    )


def test_plan_needs_an_exit_plan(world, setting):
    with pytest.raises(placement_errors.PlacementInvalid) as excinfo:
        _create(world, setting, exit_plan="  ")
    assert _errors(excinfo)["exit_plan"] == [placement_messages.EXIT_PLAN_NEEDED]


def test_plan_costing_other_than_the_panel_approved_needs_a_reason(world, setting):
    _approve(world, setting.referral, "450")  # the rate makes 25 hours £500
    with pytest.raises(placement_errors.PlacementInvalid) as excinfo:
        _create(world, setting)
    assert _errors(excinfo)["cost_difference_reason"] == [
        placement_messages.COST_DIFFERS_REASON_NEEDED.format(cost="£500", approved="£450")
    ]
    placement = _create(
        world, setting, cost_difference_reason="Two more hours of maths agreed with the family"
    )
    assert (placement.weekly_cost, placement.cost_difference_reason) == (
        Decimal("500.00"),
        "Two more hours of maths agreed with the family",
    )


def test_plan_costing_what_the_panel_approved_needs_no_reason(world, setting):
    _approve(world, setting.referral, "500")
    placement = _create(world, setting, cost_difference_reason="Not needed")
    assert (placement.weekly_cost, placement.cost_difference_reason) == (Decimal("500.00"), "")


def test_plan_priced_case_by_case_carries_the_panel_cost(world, setting):
    setting.provider.hourly_rate = None
    setting.provider.save()
    _approve(world, setting.referral, "450")
    assert _create(world, setting).weekly_cost == Decimal("450.00")


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (
            dt.date(2026, 11, 15),
            placement_messages.WEEKEND_NOT_SCHOOL_DAY.format(
                date="15 November 2026", weekday="Sunday"
            ),
        ),
        (
            dt.date(2026, 10, 28),
            placement_messages.HOLIDAY_NOT_SCHOOL_DAY.format(date="28 October 2026"),
        ),
    ],
)
def test_planned_and_actual_end_dates_are_school_days(world, setting, day, message):
    with pytest.raises(placement_errors.PlacementInvalid) as excinfo:
        _create(world, setting, planned_end_date=day)
    assert _errors(excinfo)["planned_end_date"] == [message]
    placement = _active(world)
    with pytest.raises(placement_errors.PlacementInvalid) as excinfo:
        placement_endings.end_placement(
            actor=world.officer_a,
            at=dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC),
            placement=placement,
            **{**END_ARGS, "end_date": day},
        )
    assert _errors(excinfo)["end_date"] == [message]


def test_follow_ups_are_refused_before_six_and_twelve_weeks_after_the_end(world):
    placement = _active(world)
    placement_endings.end_placement(
        actor=world.officer_a, at=LATER, placement=placement, **END_ARGS
    )  # ended 14 September
    answers = {"still_attending": True, "destination_sustained": True}
    at = dt.datetime(2026, 12, 10, 12, tzinfo=dt.UTC)
    for weeks, early, due in (
        (6, dt.date(2026, 10, 23), "26 October 2026"),
        (12, dt.date(2026, 12, 4), "7 December 2026"),
    ):
        follow_up = placement.follow_ups.get(weeks_after=weeks)
        with pytest.raises(placement_errors.PlacementInvalid) as excinfo:
            placement_follow_ups.record_follow_up(
                actor=world.officer_a,
                at=at,
                follow_up=follow_up,
                data={**answers, "done_date": early},
            )
        assert _errors(excinfo)["done_date"] == [
            placement_messages.FOLLOW_UP_TOO_EARLY.format(weeks=weeks, due=due)
        ]
        placement_follow_ups.record_follow_up(
            actor=world.officer_a,
            at=at,
            follow_up=follow_up,
            data={**answers, "done_date": follow_up.due_date},
        )


def test_review_needs_the_child_and_family_views_or_why_not(world, reviewed):
    with pytest.raises(placement_errors.ReviewInvalid) as excinfo:
        _review(world, reviewed, family_views="")
    assert _errors(excinfo)["views_not_obtained_reason"] == [placement_messages.REVIEW_VIEWS_NEEDED]
    review = _review(
        world, reviewed, family_views="", views_not_obtained_reason="Mum could not be reached"
    )
    assert (review.child_views, review.views_not_obtained_reason) == (
        "Likes the small groups",
        "Mum could not be reached",
    )


def test_an_extension_ends_on_a_school_day(world, reviewed):
    with pytest.raises(placement_errors.ReviewInvalid) as excinfo:
        _review(
            world,
            reviewed,
            decision="EXTEND",
            decision_reason="More time",
            new_planned_end_date=dt.date(2026, 12, 20),
        )
    assert _errors(excinfo)["new_planned_end_date"] == [
        placement_messages.WEEKEND_NOT_SCHOOL_DAY.format(date="20 December 2026", weekday="Sunday")
    ]


def test_a_placement_on_a_contract_costs_what_the_contract_says(world, setting):
    from aptrack.commissioning import services as commissioning
    from aptrack.commissioning.tests.factories import make_contract

    placement = _create(world, setting)
    contract = make_contract(placement=placement)
    contract.rates.exclude(unit="HOUR").delete()  # £20 an hour
    setting.provider.hourly_rate = Decimal(99)  # the register's rate no longer counts
    setting.provider.save()
    commissioning.set_placement_terms(
        placement=placement, contract=contract, by=world.officer_a, at=AT
    )
    placement.refresh_from_db()
    assert placement.weekly_cost == Decimal("500.00")  # £20 × 25 hours
    try:
        changed = placement_plan.update_plan(
            actor=world.officer_a,
            at=AT,
            placement=placement,
            data={"hours_per_week": Decimal(30)},
            expected_version=placement.version,
        )
    except placement_errors.PlacementInvalid as invalid:
        raise AssertionError(invalid.errors) from None
    assert changed.weekly_cost == Decimal("600.00")  # £20 × 30 hours
