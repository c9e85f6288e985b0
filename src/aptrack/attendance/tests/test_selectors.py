"""Reads for other features: which children still need a mark, which are absent, and which
marks each persona may see."""

import datetime as dt

import pytest

from aptrack.attendance import permissions, selectors
from aptrack.attendance.loading import MarkRow
from aptrack.attendance.models import Session
from aptrack.attendance.tests.conftest import MONDAY, record_rows
from aptrack.children.tests.factories import ChildFactory, PlacementFactory
from aptrack.organisations.tests.factories import la

pytestmark = pytest.mark.django_db


def test_children_missing_a_mark_are_those_placed_on_a_school_day_without_one(world):
    second = PlacementFactory(child=ChildFactory(), provider=world.provider_x.organisation)
    record_rows(
        world, MarkRow(upn=world.child_a.upn, date=MONDAY.isoformat(), session="AM", code="/")
    )
    provider = world.provider_x.organisation_id
    missing_am = selectors.list_children_missing_mark(
        on=MONDAY, session=Session.AM, provider_id=provider
    )
    assert list(missing_am) == [second]
    missing_pm = selectors.list_children_missing_mark(
        on=MONDAY, session=Session.PM, provider_id=provider
    )
    assert set(missing_pm) == {second, world.child_a.placements.get()}
    saturday = MONDAY - dt.timedelta(days=2)
    assert not selectors.list_children_missing_mark(
        on=saturday, session=Session.AM, provider_id=provider
    ).exists()
    before_placed = dt.date(2026, 9, 4)
    assert not selectors.list_children_missing_mark(
        on=before_placed, session=Session.AM, provider_id=provider
    ).exists()


def test_children_missing_a_mark_by_la(world):
    dorset = selectors.list_children_missing_mark(on=MONDAY, session=Session.AM, la_id=la("838").pk)
    hackney = selectors.list_children_missing_mark(
        on=MONDAY, session=Session.AM, la_id=la("204").pk
    )
    assert [p.child for p in dorset] == [world.child_a]
    assert [p.child for p in hackney] == [world.child_b]


def test_absent_marks_by_provider_la_session_and_code(world):
    upn = world.child_a.upn
    record_rows(
        world,
        MarkRow(upn=upn, date=MONDAY.isoformat(), session="AM", code="N"),
        MarkRow(upn=upn, date=MONDAY.isoformat(), session="PM", code="I"),
        MarkRow(upn=upn, date="2026-11-24", session="AM", code="/"),
    )
    record_rows(
        world,
        MarkRow(upn=world.child_b.upn, date=MONDAY.isoformat(), session="AM", code="O"),
        user=world.provider_z,
    )
    mine = selectors.list_absent_marks(
        start_date=MONDAY,
        end_date=dt.date(2026, 11, 24),
        provider_id=world.provider_x.organisation_id,
    )
    assert [(m.session, m.code) for m in mine] == [("AM", "N"), ("PM", "I")]
    unexplained = selectors.list_absent_marks(
        start_date=MONDAY, la_id=la("838").pk, codes_wanted={"N"}
    )
    assert [m.placement.child for m in unexplained] == [world.child_a]
    assert [
        m.code
        for m in selectors.list_absent_marks(
            start_date=MONDAY, session=Session.AM, la_id=la("204").pk
        )
    ] == ["O"]


def test_who_sees_which_marks(world):
    record_rows(
        world, MarkRow(upn=world.child_a.upn, date=MONDAY.isoformat(), session="AM", code="N")
    )
    record_rows(
        world,
        MarkRow(upn=world.child_b.upn, date=MONDAY.isoformat(), session="AM", code="I"),
        user=world.provider_z,
    )
    # child_a also has a placement with provider Z, whose marks provider X must not see.
    PlacementFactory(
        child=world.child_a, provider=world.provider_z.organisation, start_date=dt.date(2026, 11, 2)
    )
    record_rows(
        world,
        MarkRow(upn=world.child_a.upn, date=MONDAY.isoformat(), session="PM", code="/"),
        user=world.provider_z,
    )
    expected = {
        "officer_a": {("child_a", "AM"), ("child_a", "PM")},
        "officer_b": {("child_b", "AM")},
        "provider_x": {("child_a", "AM")},
        "provider_z": {("child_b", "AM"), ("child_a", "PM")},
        "school_y": {("child_a", "AM"), ("child_a", "PM")},
        "analyst": set(),
        "qa_lead_a": set(),
    }
    names = {world.child_a.pk: "child_a", world.child_b.pk: "child_b"}
    for persona, marks in expected.items():
        seen = {
            (names[m.placement.child_id], m.session)
            for m in permissions.scope_marks(getattr(world, persona))
        }
        assert seen == marks, persona


def test_who_may_record_and_see_measures(world):
    assert permissions.can_record_marks(world.provider_x)
    assert not permissions.can_record_marks(world.officer_a)
    assert permissions.measures_scope(world.officer_b).id == la("204").pk
    assert permissions.measures_scope(world.provider_x).id == world.provider_x.organisation_id
    assert permissions.measures_scope(world.school_y) is None
