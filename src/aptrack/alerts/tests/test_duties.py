"""Statutory duties reach the LA as alerts: 15 school days of illness absence in the academic
year, consecutive or not, raise one alert to the home LA (14.5 days raise none); a Fair Access
place not started by the 20th school day raises one to the commissioning LA."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from aptrack.alerts.models import Alert
from aptrack.alerts.states import AlertKind
from aptrack.alerts.tests.conftest import check
from aptrack.attendance import selectors as attendance_selectors
from aptrack.attendance.loading import MarkRow
from aptrack.attendance.tests.conftest import record_rows
from aptrack.children.tests.factories import PlacementFactory
from aptrack.panels.tests.factories import approve_at_fair_access_panel
from aptrack.placements.states import PlacementStatus
from aptrack.referrals.models import PrimaryReason, Route
from aptrack.referrals.states import ReferralStatus
from aptrack.referrals.tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db

D = dt.date
MONDAY = D(2026, 11, 23)
# Ill on Mondays and some Wednesdays since September: never three days running. The October
# half-term Monday (26 Oct) is a holiday and is not marked.
MONDAYS = [
    D(2026, 9, 7),
    D(2026, 9, 14),
    D(2026, 9, 21),
    D(2026, 9, 28),
    D(2026, 10, 5),
    D(2026, 10, 12),
    D(2026, 10, 19),
    D(2026, 11, 2),
    D(2026, 11, 9),
    D(2026, 11, 16),
]
WEDNESDAYS = [D(2026, 9, 9), D(2026, 9, 16), D(2026, 9, 23), D(2026, 9, 30), D(2026, 10, 7)]
ILL_SESSIONS = [(day, session) for day in sorted(MONDAYS + WEDNESDAYS) for session in ("AM", "PM")]
FIFTEENTH = D(2026, 11, 16)


def _ill(world, sessions, today=MONDAY):
    rows = [
        MarkRow(upn=world.child_a.upn, date=day.isoformat(), session=session, code="I")
        for day, session in sessions
    ]
    return record_rows(world, *rows, today=today)


def _illness_alerts():
    return Alert.objects.filter(kind=AlertKind.ILLNESS_FIFTEEN_DAYS)


def test_fourteen_and_a_half_days_is_not_yet_the_duty(world):
    _ill(world, ILL_SESSIONS[:-1])
    [duty] = attendance_selectors.list_illness_duty(on=MONDAY, child_ids=[world.child_a.pk])
    assert (duty.days_missed, duty.reached_on) == (Decimal("14.5"), None)
    check(MONDAY, "16:00")
    assert not _illness_alerts().exists()


def test_the_fifteenth_day_cumulative_raises_one_alert_to_the_home_la(world):
    _ill(world, ILL_SESSIONS)
    check(MONDAY, "16:00")
    [alert] = _illness_alerts()
    assert alert.child_id == world.child_a.pk
    assert alert.local_authority_id == world.child_a.home_la_id
    assert alert.session_date == FIFTEENTH
    assert alert.period_start_date == D(2026, 9, 1)
    assert "15 school days missed through illness" in alert.reason
    assert "the 15th on 16 November 2026" in alert.reason
    # The next check, and the next day's, raise nothing new.
    check(MONDAY, "16:30")
    check(D(2026, 11, 24), "16:00")
    assert _illness_alerts().count() == 1


def test_illness_in_the_previous_academic_year_does_not_count(world):
    # Summer 2026 is the 2025/26 year: 15 days then, none since 1 September 2026.
    summer = [(D(2026, 6, 1) + dt.timedelta(days=n), s) for n in range(25) for s in ("AM", "PM")]
    summer = [(day, s) for day, s in summer if day.weekday() < 5]
    world.child_a.placements.update(start_date=D(2026, 5, 1))
    _ill(world, summer)
    assert attendance_selectors.list_illness_duty(on=MONDAY, child_ids=[world.child_a.pk]) == []


def test_the_caseworker_home_lists_children_from_ten_days_and_shows_when_fifteen_was_reached(
    client, world
):
    _ill(world, ILL_SESSIONS[:20])  # 10 days
    client.force_login(world.officer_a)
    with time_machine.travel(dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC), tick=False):
        home = client.get(reverse("placements:home"))
        assert [row.child for row in home.context_data["home"].illness] == [world.child_a]
        assert "Illness absence: the 15-day duty" in home.content.decode()
        _ill(world, ILL_SESSIONS[20:])
        page = client.get(reverse("placements:home")).content.decode()
    assert "16 November 2026" in page and "Reached" in page


def test_nine_and_a_half_days_is_not_on_the_caseworker_home(client, world):
    _ill(world, ILL_SESSIONS[:19])
    client.force_login(world.officer_a)
    with time_machine.travel(dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC), tick=False):
        home = client.get(reverse("placements:home"))
    assert home.context_data["home"].illness == []


def test_a_referral_on_the_health_route_shows_its_fifteen_day_date(client, world):
    referral = ReferralFactory(
        child=world.child_a,
        route=Route.HEALTH,
        primary_reason=PrimaryReason.MEDICAL,
        referrer=world.officer_a,
    )
    client.force_login(world.officer_a)
    with time_machine.travel(dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC), tick=False):
        page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
        assert "Not reached: no illness absence recorded this academic year" in page
        _ill(world, ILL_SESSIONS)
        page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Reached on 16 November 2026" in page


# --- Fair Access: a planned place not started within 20 school days --------------------------

FA_DECIDED = D(2026, 10, 5)  # Monday: 20 school days later, over half term, is Monday 9 November
FA_DUE = D(2026, 11, 9)
PLANNED_START = D(2026, 12, 1)


def _fair_access_place(world, *, status=PlacementStatus.PLANNED, start=PLANNED_START):
    referral = ReferralFactory(
        child=world.child_a2,
        route=Route.FAIR_ACCESS,
        referrer=world.officer_a,
        status=ReferralStatus.APPROVED,
    )
    approve_at_fair_access_panel(referral, on=FA_DECIDED, decided_by=world.officer_a)
    return PlacementFactory(
        child=world.child_a2,
        referral=referral,
        status=status,
        start_date=start,
        provider=world.provider_x.organisation,
    )


def _fair_access_alerts():
    return Alert.objects.filter(kind=AlertKind.FAIR_ACCESS_OVERDUE)


def test_a_fair_access_place_not_started_by_the_twentieth_school_day_raises_one_alert_the_day_after(
    world,
):
    placement = _fair_access_place(world)
    check(FA_DUE, "16:00")
    assert not _fair_access_alerts().exists()
    check(D(2026, 11, 10), "16:00")
    [alert] = _fair_access_alerts()
    assert (alert.placement, alert.session_date, alert.period_start_date) == (
        placement,
        D(2026, 11, 10),
        FA_DECIDED,
    )
    assert alert.local_authority_id == placement.referral.commissioning_la_id
    assert "due to start by 9 November 2026" in alert.reason
    check(D(2026, 11, 11), "16:00")
    assert _fair_access_alerts().count() == 1


def test_a_fair_access_place_that_started_in_time_raises_no_alert(world):
    _fair_access_place(world, status=PlacementStatus.ACTIVE, start=FA_DUE)
    check(D(2026, 11, 10), "16:00")
    assert not _fair_access_alerts().exists()
