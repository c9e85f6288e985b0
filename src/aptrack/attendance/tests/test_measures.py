"""Measures arithmetic (no database), then the same figures read back through the rollups."""

import datetime as dt
from decimal import Decimal

import pytest

from aptrack.attendance import selectors
from aptrack.attendance.loading import MarkRow
from aptrack.attendance.measures import (
    Rates,
    SessionCounts,
    delivered_hours,
    is_persistently_absent,
    is_severely_absent,
    planned_hours,
    rate,
)
from aptrack.attendance.scopes import Grouping, Period, Scope
from aptrack.attendance.tests.conftest import TODAY, record_rows
from aptrack.children.models import Child
from aptrack.children.tests.factories import ChildFactory, PlacementFactory
from aptrack.organisations.tests.factories import la
from aptrack.providers.tests.factories import ProviderFactory


def test_attendance_counts_present_and_aea_over_possible():
    counts = SessionCounts(present=6, aea=2, authorised=1, unauthorised=1)
    rates = Rates.of(counts)
    assert counts.possible == 10
    assert rates.attendance == Decimal("80.0")
    assert rates.authorised_absence == Decimal("10.0")
    assert rates.unauthorised_absence == Decimal("10.0")
    assert rates.absence == Decimal("20.0")


def test_adding_session_counts_adds_every_class():
    from dataclasses import fields

    one = SessionCounts(*range(1, len(fields(SessionCounts)) + 1))
    two = one + one
    assert [getattr(two, f.name) for f in fields(two)] == [
        2 * getattr(one, f.name) for f in fields(one)
    ]


def test_not_possible_and_administrative_sessions_are_not_possible_sessions():
    counts = SessionCounts(present=9, unauthorised=1, not_possible=40, administrative=7)
    assert counts.possible == 10
    assert Rates.of(counts).attendance == Decimal("90.0")


def test_no_possible_sessions_gives_no_rate_and_no_flags():
    counts = SessionCounts(not_possible=10)
    assert Rates.of(counts).attendance is None
    assert not is_persistently_absent(counts)
    assert not is_severely_absent(counts)


@pytest.mark.parametrize(
    ("absent", "possible", "persistent", "severe"),
    [
        (9, 100, False, False),
        (10, 100, True, False),  # exactly 10% is persistent
        (1, 10, True, False),
        (49, 100, True, False),
        (50, 100, True, True),  # exactly 50% is severe
        (1, 2, True, True),
        (333, 3331, False, False),  # 9.997%: not persistent, though it rounds to 10.0%
    ],
)
def test_persistent_and_severe_absence_at_their_boundaries(absent, possible, persistent, severe):
    counts = SessionCounts(present=possible - absent, unauthorised=absent)
    assert is_persistently_absent(counts) is persistent
    assert is_severely_absent(counts) is severe


def test_rates_round_half_up_to_one_place():
    assert rate(1, 3) == Decimal("33.3")
    assert rate(2, 3) == Decimal("66.7")
    assert rate(1, 8) == Decimal("12.5")


def test_hours_delivered_scale_planned_hours_by_timetabled_sessions_attended():
    assert planned_hours(Decimal(25), 10) == Decimal("50.0")
    full = SessionCounts(present=8, unauthorised=2)
    assert delivered_hours(Decimal(50), full) == Decimal("40.0")
    # A part-time timetable: C2 sessions are not hours the placement planned.
    part_time = SessionCounts(present=4, authorised=6, part_time_sessions=6)
    assert delivered_hours(Decimal(10), part_time) == Decimal("10.0")
    assert delivered_hours(Decimal(10), SessionCounts()) is None


# --- through the rollups ------------------------------------------------------------------------

WEEK = [dt.date(2026, 11, 16) + dt.timedelta(days=n) for n in range(5)]  # Mon 16 to Fri 20 Nov


def _week_of_marks(world, codes_by_session: list[str], upn: str, user=None):
    rows = []
    sessions = [(day, session) for day in WEEK for session in ("AM", "PM")]
    for (day, session), code in zip(sessions, codes_by_session, strict=False):
        rows.append(MarkRow(upn=upn, date=day.isoformat(), session=session, code=code))
    return record_rows(world, *rows, user=user)


@pytest.mark.django_db
def test_every_not_possible_and_administrative_code_is_left_out_of_possible_sessions(world):
    # 10 sessions: 1 present, 1 absent, and D, X, Q, Y1, Y4, Y7, Z, # which are not possible.
    # X is only for a child outside compulsory school age: this one is in the sixth form.
    Child.objects.filter(pk=world.child_a.pk).update(date_of_birth=dt.date(2009, 3, 14))
    _week_of_marks(world, ["/", "N", "D", "X", "Q", "Y1", "Y4", "Y7", "Z", "#"], world.child_a.upn)
    m = selectors.get_measures(
        scope=Scope.child(world.child_a.pk), period=Period.week(WEEK[0]), today=TODAY
    )
    assert m.counts.possible == 2
    assert m.counts.not_possible == 6
    assert m.counts.administrative == 2
    assert m.counts.q_sessions == 1
    assert m.rates.attendance == Decimal("50.0")
    assert m.is_persistent and m.is_severe


@pytest.mark.django_db
def test_y2_y3_y5_y6_are_not_possible_either(world):
    _week_of_marks(world, ["Y2", "Y3", "Y5", "Y6", "/"], world.child_a.upn)
    m = selectors.get_measures(
        scope=Scope.child(world.child_a.pk), period=Period.week(WEEK[0]), today=TODAY
    )
    assert (m.counts.possible, m.counts.not_possible) == (1, 4)


@pytest.mark.django_db
def test_a_child_absent_exactly_one_session_in_ten_is_persistently_absent(world):
    _week_of_marks(world, ["/", "\\", "L", "K", "V", "P", "W", "B", "/", "I"], world.child_a.upn)
    m = selectors.get_measures(
        scope=Scope.child(world.child_a.pk), period=Period.week(WEEK[0]), today=TODAY
    )
    assert m.rates.attendance == Decimal("90.0")
    assert m.rates.authorised_absence == Decimal("10.0")
    assert m.is_persistent and not m.is_severe


@pytest.mark.django_db
def test_measures_by_child_placement_provider_type_la_and_all_las(world):
    registered = ProviderFactory(
        organisation=world.provider_x.organisation, kind="PRU", setting_type="OOT"
    )
    assert registered.is_registered
    second = PlacementFactory(
        child=ChildFactory(home_la=la("838")),
        provider=world.provider_x.organisation,
        commissioning_la=la("838"),
    )
    _week_of_marks(world, ["/"] * 10, world.child_a.upn)
    _week_of_marks(world, ["/"] * 5 + ["O"] * 5, second.child.upn)
    week = Period.week(WEEK[0])
    dorset, hackney = la("838"), la("204")
    by_la = selectors.get_measures(scope=Scope.la(dorset.pk), period=week, include_hours=False)
    assert (by_la.counts.possible, by_la.children, by_la.persistent, by_la.severe) == (20, 2, 1, 1)
    assert by_la.rates.attendance == Decimal("75.0")
    assert (
        selectors.get_measures(
            scope=Scope.la(hackney.pk), period=week, include_hours=False
        ).children
        == 0
    )
    placement = selectors.get_measures(
        scope=Scope.placement(second.pk), period=week, include_hours=False
    )
    assert placement.rates.unauthorised_absence == Decimal("50.0")
    provider = selectors.get_measures(
        scope=Scope.provider(world.provider_x.organisation_id), period=week, include_hours=False
    )
    assert provider.counts == by_la.counts
    registered_only = selectors.get_measures(
        scope=Scope.provider_type(registered=True), period=week, include_hours=False
    )
    non_school = selectors.get_measures(
        scope=Scope.provider_type(registered=False), period=week, include_hours=False
    )
    assert (registered_only.children, non_school.children) == (2, 0)
    national = selectors.list_measures(scope=Scope.all_las(), period=week, by=Grouping.LA)
    assert [(m.key, m.children) for m in national] == [(dorset.pk, 2)]


@pytest.mark.django_db
def test_measures_by_week_and_by_term(world):
    _week_of_marks(world, ["/"] * 10, world.child_a.upn)
    record_rows(world, MarkRow(upn=world.child_a.upn, date="2026-09-07", session="AM", code="N"))
    year = Period.academic_year(2026)
    weeks = selectors.list_measures(
        scope=Scope.child(world.child_a.pk), period=year, by=Grouping.WEEK
    )
    assert [(m.key, m.counts.possible) for m in weeks] == [
        (dt.date(2026, 9, 7), 1),
        (dt.date(2026, 11, 16), 10),
    ]
    terms = selectors.list_measures(scope=Scope.la(la("838").pk), period=year, by=Grouping.TERM)
    assert [term.label for term in terms][:2] == ["Autumn 1 2026/27", "Autumn 2 2026/27"]
    assert [term.counts.possible for term in terms][:3] == [1, 10, 0]


@pytest.mark.django_db
def test_hours_delivered_against_planned_for_a_placement(world):
    placement = world.child_a.placements.get()
    placement.hours_per_week = Decimal(20)
    placement.save()
    _week_of_marks(world, ["/"] * 8 + ["N"] * 2, world.child_a.upn)
    m = selectors.get_measures(
        scope=Scope.placement(placement.pk), period=Period.week(WEEK[0]), today=TODAY
    )
    assert m.planned_hours == Decimal("20.0")  # five school days at 20 hours a week
    assert m.delivered_hours == Decimal("16.0")


@pytest.mark.django_db
def test_a_changed_mark_moves_the_rollup_between_classes(world):
    upn = world.child_a.upn
    record_rows(world, MarkRow(upn=upn, date="2026-11-23", session="AM", code="N"))
    record_rows(world, MarkRow(upn=upn, date="2026-11-23", session="AM", code="I"))
    m = selectors.get_measures(
        scope=Scope.child(world.child_a.pk),
        period=Period.week(dt.date(2026, 11, 23)),
        include_hours=False,
    )
    assert (m.counts.unauthorised, m.counts.authorised, m.counts.possible) == (0, 1, 1)


@pytest.mark.django_db
def test_provider_measures_from_one_read_equal_the_three_separate_ones(world):
    """The LA dashboard reads overall, by provider type and by provider at once: the same
    numbers as asking three times, with a child at each of a registered and a non-school provider."""
    from aptrack.children.tests.factories import ChildFactory, PlacementFactory
    from aptrack.organisations.tests.factories import la
    from aptrack.providers.tests.factories import ProviderFactory

    ProviderFactory(organisation=world.provider_x.organisation, kind="PRU", setting_type="OOT")
    dorset = la("838")
    second = PlacementFactory(
        # Past compulsory school age, so code X is allowed for them.
        child=ChildFactory(home_la=dorset, date_of_birth=dt.date(2009, 3, 14)),
        provider=world.provider_z.organisation,
        commissioning_la=dorset,
    )
    _week_of_marks(world, ["/", "/", "N", "/", "I", "/", "/", "/", "O", "/"], world.child_a.upn)
    _week_of_marks(
        world,
        ["O", "O", "/", "/", "O", "O", "O", "O", "C2", "X"],
        second.child.upn,
        user=world.provider_z,
    )
    scope, period = Scope.la(dorset.pk), Period.week(WEEK[0])
    together = selectors.get_provider_measures(scope=scope, period=period)
    assert together.overall == selectors.get_measures(
        scope=scope, period=period, include_hours=False
    )
    assert together.by_type == selectors.list_measures(
        scope=scope, period=period, by=Grouping.PROVIDER_TYPE
    )
    assert together.by_provider == selectors.list_measures(
        scope=scope, period=period, by=Grouping.PROVIDER
    )
    assert [m.key for m in together.by_type] == [False, True]
    assert together.overall.children == 2
