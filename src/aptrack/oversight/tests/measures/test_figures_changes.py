"""Each kind of write to the data behind the figures counts a change for the LAs whose figures
it touches (core/changes.py's registry and announcements), when its transaction commits."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse

from aptrack.attendance.loading import MarkRow
from aptrack.attendance.rollups import rebuild_weekly_rollups
from aptrack.attendance.tests.conftest import record_rows
from aptrack.core import changes
from aptrack.organisations.tests.factories import la
from aptrack.oversight.measures.store import versions
from aptrack.oversight.models import Figures
from aptrack.oversight.tests import dashboard_data
from aptrack.placements.tests.factories import PlanFactory
from aptrack.providers.models import Provider

dataset = dashboard_data.dataset
pytestmark = pytest.mark.django_db
DASHBOARD = reverse("oversight:dashboard")


@pytest.fixture(autouse=True)
def _at_commit(settings):
    """As in production: changes are counted when the transaction commits."""
    settings.APTRACK_CHANGES_AT_COMMIT = True
    with time_machine.travel(dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC), tick=False):
        yield


def _stamp(authority) -> str:
    return versions([authority.pk])[authority.pk]


def _settled() -> None:
    """Count what the set-up left uncommitted, so each test starts level."""
    changes.flush()


def test_a_school_commission_counts_for_the_la_the_child_lives_in(
    world, dataset, django_capture_on_commit_callbacks
):
    _settled()
    before = _stamp(dataset.dorset)
    with django_capture_on_commit_callbacks(execute=True):
        PlanFactory(
            child=dataset.c7,
            provider=dataset.p1.provider,
            commissioning_la=None,
            commissioning_school=world.school_y.organisation,
            start_date=dt.date(2026, 11, 16),
            weekly_cost=Decimal(450),
        )
    assert _stamp(dataset.dorset) != before


def test_a_review_changes_the_la_of_its_placement(dataset, django_capture_on_commit_callbacks):
    _settled()
    before, elsewhere = _stamp(dataset.dorset), _stamp(dataset.hackney)
    with django_capture_on_commit_callbacks(execute=True):
        review = dataset.p1.reviews.get()
        review.next_review_date = dt.date(2026, 11, 20)
        review.save()
    assert _stamp(dataset.dorset) != before and _stamp(dataset.hackney) == elsewhere


def test_nothing_is_counted_before_the_commit(dataset):
    before = _stamp(dataset.dorset)
    dataset.c1.fsm = not dataset.c1.fsm
    dataset.c1.save()  # the test's transaction never commits
    assert _stamp(dataset.dorset) == before


def test_marks_recorded_change_the_placing_la(world, django_capture_on_commit_callbacks):
    _settled()
    dorset, hackney = la("838"), la("204")
    before, elsewhere = _stamp(dorset), _stamp(hackney)
    with django_capture_on_commit_callbacks(execute=True):
        record_rows(
            world, MarkRow(upn=world.child_a.upn, date="2026-11-23", session="AM", code="/")
        )
    assert _stamp(dorset) != before and _stamp(hackney) == elsewhere


def test_rebuilt_rollups_change_the_placing_la(dataset, django_capture_on_commit_callbacks):
    _settled()
    before = _stamp(dataset.dorset)
    with django_capture_on_commit_callbacks(execute=True):
        rebuild_weekly_rollups(placement_ids=[dataset.p1.pk])
    assert _stamp(dataset.dorset) != before


def test_a_provider_change_changes_every_la(dataset, django_capture_on_commit_callbacks):
    _settled()
    before = _stamp(dataset.dorset), _stamp(dataset.hackney)
    with django_capture_on_commit_callbacks(execute=True):
        provider = Provider.objects.get(organisation=dataset.p1.provider)
        provider.name = "Heathside Learning Centre"
        provider.save()
    assert _stamp(dataset.dorset) != before[0] and _stamp(dataset.hackney) != before[1]


def test_a_change_rolled_back_is_not_lost_for_the_next_commit(
    dataset, django_capture_on_commit_callbacks
):
    """A rolled-back write leaves its LAs to be counted with the next commit, never dropped."""
    _settled()
    before = _stamp(dataset.dorset)
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                dataset.c1.fsm = not dataset.c1.fsm
                dataset.c1.save()
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        changes.announce(la_ids=[dataset.hackney.pk])
    assert _stamp(dataset.dorset) != before


def test_tomorrow_the_figures_are_computed_again(client, world, dataset):
    client.force_login(world.manager_a)
    client.get(DASHBOARD, {"period": "this-term"})
    with time_machine.travel(dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC), tick=False):
        client.force_login(world.manager_a)  # a day later the session has timed out
        response = client.get(DASHBOARD, {"period": "this-term"})
    assert "are for today, 24 November 2026" in response.content.decode()
    assert sorted(Figures.objects.values_list("day", flat=True)) == [
        dt.date(2026, 11, 23),
        dt.date(2026, 11, 24),
    ]


def test_each_la_is_served_its_own_figures(client, world, dataset):
    client.force_login(world.manager_a)
    dorset = client.get(DASHBOARD, {"period": "this-term"})
    client.force_login(world.officer_b)
    hackney = client.get(DASHBOARD, {"period": "this-term"})
    assert dorset.content != hackney.content
    assert sorted(Figures.objects.values_list("local_authority__code", flat=True)) == ["204", "838"]
