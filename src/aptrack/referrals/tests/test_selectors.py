import datetime as dt

import pytest

from aptrack.children.tests.factories import ChildFactory, PlacementFactory
from aptrack.organisations.tests.factories import OrganisationFactory, la
from aptrack.referrals import selectors
from aptrack.referrals.states import ReferralStatus
from aptrack.referrals.tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db
S = ReferralStatus
# Monday 2 November 2026 is the first day of Autumn 2: the sixth school day is Monday 9 November.
FIRST_DAY = dt.date(2026, 11, 2)
SIXTH_DAY = dt.date(2026, 11, 9)
ON = dt.date(2026, 11, 23)


@pytest.fixture
def pex(world):
    def make(child=None, first_day=FIRST_DAY, **kwargs):
        child = child or ChildFactory(home_la=world.child_a.home_la)
        return ReferralFactory(
            child=child,
            referrer=world.officer_a,
            route="PEX",
            primary_reason="PEX",
            first_day_of_exclusion=first_day,
            **kwargs,
        )

    return make


def _dorset():
    return la("838").pk


def test_a_permanent_exclusion_past_its_sixth_day_without_provision_is_listed(pex):
    referral = pex()
    [row] = selectors.list_sixth_day_at_risk(la_id=_dorset(), on=ON)
    assert row.referral == referral
    assert row.child == referral.child
    assert (row.first_day, row.due_date, row.provision_started) == (FIRST_DAY, SIXTH_DAY, None)
    assert row.days_overdue == 14
    assert row.school_days_overdue == 10
    assert not row.due_date_estimated


def test_the_sixth_day_itself_is_listed_with_nothing_overdue(pex):
    pex()
    [row] = selectors.list_sixth_day_at_risk(la_id=_dorset(), on=SIXTH_DAY)
    assert (row.days_overdue, row.school_days_overdue) == (0, 0)


def test_before_the_sixth_day_nothing_is_listed(pex):
    pex()
    assert (
        selectors.list_sixth_day_at_risk(la_id=_dorset(), on=SIXTH_DAY - dt.timedelta(days=1)) == []
    )


def test_a_placement_started_by_the_sixth_day_meets_the_duty(pex):
    referral = pex()
    provider = OrganisationFactory(kind="PROVIDER")
    PlacementFactory(child=referral.child, provider=provider, start_date=SIXTH_DAY)
    assert selectors.list_sixth_day_at_risk(la_id=_dorset(), on=ON) == []


def test_a_placement_running_since_before_the_exclusion_meets_the_duty(world, pex):
    pex(child=world.child_a)  # child_a has been placed with provider X since September
    assert selectors.list_sixth_day_at_risk(la_id=_dorset(), on=ON) == []


def test_a_late_placement_stays_listed_with_its_start(pex):
    referral = pex()
    PlacementFactory(
        child=referral.child,
        provider=OrganisationFactory(kind="PROVIDER"),
        start_date=dt.date(2026, 11, 16),
    )
    [row] = selectors.list_sixth_day_at_risk(la_id=_dorset(), on=ON)
    assert row.provision_started == dt.date(2026, 11, 16)
    assert (row.days_overdue, row.school_days_overdue) == (7, 5)


@pytest.mark.parametrize(
    "placement",
    [
        {"status": "PLANNED", "start_date": SIXTH_DAY},
        {"status": "CANCELLED", "start_date": SIXTH_DAY},
        {
            "start_date": dt.date(2026, 9, 7),
            "end_date": dt.date(2026, 10, 1),
            "status": "ENDED",
        },  # ended before
        {"start_date": dt.date(2026, 11, 30)},  # not started yet
    ],
)
def test_placements_that_did_not_provide_do_not_count(pex, placement):
    referral = pex()
    PlacementFactory(
        child=referral.child, provider=OrganisationFactory(kind="PROVIDER"), **placement
    )
    assert len(selectors.list_sixth_day_at_risk(la_id=_dorset(), on=ON)) == 1


def test_withdrawn_other_routes_and_other_las_are_left_out(world, pex):
    pex(status=S.WITHDRAWN)
    ReferralFactory(
        child=ChildFactory(),
        referrer=world.officer_a,
        route="SUSPENSION",
        primary_reason="BEHAVIOUR",
        first_day_of_exclusion=FIRST_DAY,
    )
    ReferralFactory(
        child=ChildFactory(home_la=la("204")),
        referrer=world.officer_b,
        route="PEX",
        primary_reason="PEX",
        first_day_of_exclusion=FIRST_DAY,
    )
    assert selectors.list_sixth_day_at_risk(la_id=_dorset(), on=ON) == []
    assert len(selectors.list_sixth_day_at_risk(la_id=la("204").pk, on=ON)) == 1


def test_without_term_dates_the_deadline_is_estimated_in_weekdays(pex):
    pex(first_day=dt.date(2029, 1, 8))
    [row] = selectors.list_sixth_day_at_risk(la_id=_dorset(), on=dt.date(2029, 2, 1))
    assert row.due_date_estimated
    assert row.due_date == dt.date(2029, 1, 15)


def test_list_referrals_of_an_la_by_status(world):
    submitted = ReferralFactory(child=world.child_a, referrer=world.officer_a, status=S.SUBMITTED)
    ReferralFactory(child=world.child_a2, referrer=world.officer_a, status=S.DRAFT)
    ReferralFactory(child=world.child_b, referrer=world.officer_b, status=S.SUBMITTED)
    assert list(selectors.list_referrals(la_id=_dorset(), statuses=[S.SUBMITTED])) == [submitted]
    assert selectors.list_referrals(la_id=_dorset()).count() == 2


def test_my_referrals_are_those_i_made_open_first(world):
    closed = ReferralFactory(child=world.child_a, referrer=world.officer_a, status=S.APPROVED)
    open_ = ReferralFactory(child=world.child_a2, referrer=world.officer_a, status=S.DRAFT)
    ReferralFactory(child=world.child_a2, referrer=world.manager_a)
    assert list(selectors.list_my_referrals(user=world.officer_a)) == [open_, closed]


# --- the sixth-day duty: one rule for the caseworker, the referrals page and the dashboard ---------

FRIDAY_BEFORE_HALF_TERM = dt.date(2026, 10, 23)  # half term is 26 to 30 October 2026


def test_an_exclusion_from_the_friday_before_half_term_is_due_the_friday_after(pex):
    pex(first_day=FRIDAY_BEFORE_HALF_TERM)
    [duty] = selectors.list_sixth_day_duties(la_id=_dorset(), on=dt.date(2026, 10, 30))
    assert (duty.due_date, duty.due_date_estimated) == (dt.date(2026, 11, 6), False)
    assert (duty.met, duty.missed) == (False, False)  # pending: the week off is not counted


@pytest.mark.parametrize(
    ("start", "met", "missed"),
    [
        (None, False, True),
        (SIXTH_DAY - dt.timedelta(days=1), True, False),
        (SIXTH_DAY, True, False),  # provision on the sixth day itself meets it
        (SIXTH_DAY + dt.timedelta(days=1), False, True),  # a day late
    ],
)
def test_the_duty_is_met_by_provision_on_or_before_the_sixth_day(pex, start, met, missed):
    referral = pex()
    if start is not None:
        PlacementFactory(
            child=referral.child, provider=OrganisationFactory(kind="PROVIDER"), start_date=start
        )
    [duty] = selectors.list_sixth_day_duties(la_id=_dorset(), on=ON)
    assert (duty.met, duty.missed) == (met, missed)
    assert (duty.school_days_overdue, duty.days_overdue) == (
        (1, 1)
        if start == SIXTH_DAY + dt.timedelta(days=1)
        else (10, 14)
        if start is None
        else (0, 0)
    )


def test_duties_are_chosen_by_their_sixth_day_inclusive_of_both_ends(pex):
    pex()
    assert (
        len(
            selectors.list_sixth_day_duties(
                la_id=_dorset(), on=ON, due_from=SIXTH_DAY, due_to=SIXTH_DAY
            )
        )
        == 1
    )
    assert (
        selectors.list_sixth_day_duties(
            la_id=_dorset(), on=ON, due_from=SIXTH_DAY + dt.timedelta(days=1)
        )
        == []
    )
    assert (
        selectors.list_sixth_day_duties(
            la_id=_dorset(), on=ON, due_to=SIXTH_DAY - dt.timedelta(days=1)
        )
        == []
    )


def test_a_declined_referral_still_leaves_the_duty_owed(pex):
    pex(status=S.DECLINED)
    assert len(selectors.list_sixth_day_at_risk(la_id=_dorset(), on=ON)) == 1
