"""The dashboard served from a snapshot: it is served only while nothing behind its figures has
changed, a change in one LA leaves another's snapshot alone, and what is served is exactly what
building the figures afresh shows.

Changes are counted when their transaction commits, so every write here runs inside
``django_capture_on_commit_callbacks(execute=True)``, as it would commit in the application.
"""

import datetime as dt
import re
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
from aptrack.oversight import freshness, snapshots
from aptrack.oversight.models import DashboardSnapshot
from aptrack.oversight.tests import dashboard_data
from aptrack.placements.tests.factories import PlanFactory
from aptrack.providers.models import Provider

dataset = dashboard_data.dataset
pytestmark = pytest.mark.django_db
DASHBOARD = reverse("oversight:dashboard")


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def snapshots_on(settings, db):
    settings.APTRACK_DASHBOARD_SNAPSHOTS = True
    freshness.flush()  # count what earlier set-up left uncommitted, so each test starts level
    snapshots.held.clear()


def _body(response) -> str:
    html = response.content.decode()
    return html[html.index('<h2 class="govuk-heading-m">Headlines</h2>'):html.index("</main>")]


def _children_in_ap(response) -> int:
    found = re.search(r'measure=children_in_ap"[^>]*>(\d+)</a>', response.content.decode())
    assert found, "no Children in AP now figure"
    return int(found.group(1))


def _fresh(client, settings) -> str:
    """What the page shows when the figures are built afresh."""
    settings.APTRACK_DASHBOARD_SNAPSHOTS = False
    try:
        return _body(client.get(DASHBOARD, {"period": "this-term"}))
    finally:
        settings.APTRACK_DASHBOARD_SNAPSHOTS = True


def test_a_second_view_is_served_from_the_snapshot(client, world, dataset, snapshots_on, django_assert_max_num_queries):
    client.force_login(world.manager_a)
    first = client.get(DASHBOARD, {"period": "this-term"})
    assert first.status_code == 200
    kept = DashboardSnapshot.objects.get(local_authority=dataset.dorset)
    assert kept.html in first.content.decode()
    with django_assert_max_num_queries(6):  # session read, user with organisation and LA, snapshot, session renewed (3)
        second = client.get(DASHBOARD, {"period": "this-term"})
    assert _body(second) == _body(first)
    assert DashboardSnapshot.objects.count() == 1


def test_the_process_uses_its_held_copy_only_while_it_is_the_current_build(client, world, dataset, snapshots_on):
    client.force_login(world.manager_a)
    first = _body(client.get(DASHBOARD, {"period": "this-term"}))
    kept = DashboardSnapshot.objects.get(local_authority=dataset.dorset)
    assert snapshots.held.get(dataset.dorset.pk, kept.key) == (kept.build, kept.html)
    # Altered in the database under the same build, the held copy is still what is served: it
    # was not moved out of the database again.
    DashboardSnapshot.objects.filter(pk=kept.pk).update(html=kept.html.replace("Headlines", "Altered"))
    assert _body(client.get(DASHBOARD, {"period": "this-term"})) == first
    # A new build (as after a change) is read from the database, and held in place of the old.
    DashboardSnapshot.objects.filter(pk=kept.pk).update(html=kept.html + "<p>Rebuilt</p>", build="b" * 32)
    assert "<p>Rebuilt</p>" in client.get(DASHBOARD, {"period": "this-term"}).content.decode()
    assert snapshots.held.get(dataset.dorset.pk, kept.key)[0] == "b" * 32


def test_held_copies_stay_within_their_limit(settings):
    settings.APTRACK_DASHBOARD_HELD_CHARACTERS = 10
    held = snapshots._Held()
    held.put(1, "a", "build-a", "x" * 6)
    held.put(2, "b", "build-b", "y" * 3)
    assert held.get(1, "a") is not None  # now the most recently used
    held.put(3, "c", "build-c", "z" * 4)  # 13 characters in all: the least recently used goes
    assert held.get(2, "b") is None and held.get(1, "a") is not None and held.get(3, "c") is not None
    held.put(4, "d", "build-d", "w" * 11)  # larger than the whole limit: not held at all
    assert held.get(4, "d") is None and held.get(1, "a") is not None


def test_a_new_placement_is_on_the_next_view(client, world, dataset, settings, snapshots_on,
                                              django_capture_on_commit_callbacks):
    client.force_login(world.manager_a)
    before = _children_in_ap(client.get(DASHBOARD, {"period": "this-term"}))
    with django_capture_on_commit_callbacks(execute=True):
        PlanFactory(child=dataset.c6, provider=dataset.p1.provider, commissioning_la=dataset.dorset,
                    tier=2, start_date=dt.date(2026, 11, 16), weekly_cost=Decimal(450))
    after = client.get(DASHBOARD, {"period": "this-term"})
    assert _children_in_ap(after) == before + 1
    assert _body(after) == _fresh(client, settings)


def test_a_change_in_another_la_keeps_the_snapshot(client, world, dataset, snapshots_on,
                                                    django_capture_on_commit_callbacks):
    dorset_before, hackney_before = freshness.versions(dataset.dorset.pk), freshness.versions(dataset.hackney.pk)
    with django_capture_on_commit_callbacks(execute=True):
        PlanFactory(child=dataset.hackney_child, provider=dataset.p1.provider, commissioning_la=dataset.hackney,
                    start_date=dt.date(2026, 11, 16))
    assert freshness.versions(dataset.dorset.pk) == dorset_before
    assert freshness.versions(dataset.hackney.pk) != hackney_before


def test_a_school_commission_counts_for_the_la_the_child_lives_in(world, dataset, snapshots_on,
                                                                   django_capture_on_commit_callbacks):
    before = freshness.versions(dataset.dorset.pk)
    with django_capture_on_commit_callbacks(execute=True):
        PlanFactory(child=dataset.c7, provider=dataset.p1.provider, commissioning_la=None,
                    commissioning_school=world.school_y.organisation, start_date=dt.date(2026, 11, 16))
    assert freshness.versions(dataset.dorset.pk) != before


def test_a_child_moving_away_changes_both_las(dataset, snapshots_on, django_capture_on_commit_callbacks):
    dorset_before, hackney_before = freshness.versions(dataset.dorset.pk), freshness.versions(dataset.hackney.pk)
    with django_capture_on_commit_callbacks(execute=True):
        dataset.c4.home_la = dataset.hackney
        dataset.c4.save()
    assert freshness.versions(dataset.dorset.pk) != dorset_before
    assert freshness.versions(dataset.hackney.pk) != hackney_before


def test_a_review_changes_the_la_of_its_placement(dataset, snapshots_on, django_capture_on_commit_callbacks):
    before = freshness.versions(dataset.dorset.pk)
    with django_capture_on_commit_callbacks(execute=True):
        review = dataset.p1.reviews.get()
        review.next_review_date = dt.date(2026, 11, 20)
        review.save()
    assert freshness.versions(dataset.dorset.pk) != before


def test_marks_recorded_change_the_placing_la(client, world, snapshots_on, django_capture_on_commit_callbacks):
    dorset = la("838")
    before, elsewhere = freshness.versions(dorset.pk), freshness.versions(la("204").pk)
    with django_capture_on_commit_callbacks(execute=True):
        record_rows(world, MarkRow(upn=world.child_a.upn, date="2026-11-23", session="AM", code="/"))
    assert freshness.versions(dorset.pk) != before
    assert freshness.versions(la("204").pk) == elsewhere


def test_rebuilt_rollups_change_the_placing_la(dataset, snapshots_on, django_capture_on_commit_callbacks):
    before = freshness.versions(dataset.dorset.pk)
    with django_capture_on_commit_callbacks(execute=True):
        rebuild_weekly_rollups(placement_ids=[dataset.p1.pk])
    assert freshness.versions(dataset.dorset.pk) != before


def test_a_provider_change_changes_every_la(dataset, snapshots_on, django_capture_on_commit_callbacks):
    before = freshness.versions(dataset.dorset.pk), freshness.versions(dataset.hackney.pk)
    with django_capture_on_commit_callbacks(execute=True):
        provider = Provider.objects.get(organisation=dataset.p1.provider)
        provider.name = "Heathside Learning Centre"
        provider.save()
    assert freshness.versions(dataset.dorset.pk) != before[0]
    assert freshness.versions(dataset.hackney.pk) != before[1]


def test_a_bulk_write_announced_for_every_la_changes_every_la(dataset, snapshots_on,
                                                               django_capture_on_commit_callbacks):
    before = freshness.versions(dataset.hackney.pk)
    with django_capture_on_commit_callbacks(execute=True):
        changes.announce(la_ids=None)
    assert freshness.versions(dataset.hackney.pk) != before


def test_a_change_rolled_back_is_not_lost_for_the_next_commit(dataset, snapshots_on,
                                                               django_capture_on_commit_callbacks):
    """A rolled-back write leaves its LAs to be counted with the next commit, never dropped."""
    before = freshness.versions(dataset.dorset.pk)
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                dataset.c1.fsm = False
                dataset.c1.save()
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        changes.announce(la_ids=[dataset.hackney.pk])
    assert freshness.versions(dataset.dorset.pk) != before


def test_tomorrow_the_figures_are_built_again(client, world, dataset, snapshots_on):
    client.force_login(world.manager_a)
    client.get(DASHBOARD, {"period": "this-term"})
    with time_machine.travel(dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC), tick=False):
        client.force_login(world.manager_a)  # a day later the session has timed out
        response = client.get(DASHBOARD, {"period": "this-term"})
    assert "are for today, 24 November 2026" in response.content.decode()
    days = sorted(DashboardSnapshot.objects.values_list("day", flat=True))
    assert days == [dt.date(2026, 11, 23), dt.date(2026, 11, 24)]


def test_each_la_is_served_its_own_figures(client, world, dataset, snapshots_on):
    client.force_login(world.manager_a)
    dorset = client.get(DASHBOARD, {"period": "this-term"})
    client.force_login(world.officer_b)
    hackney = client.get(DASHBOARD, {"period": "this-term"})
    assert _children_in_ap(dorset) == 4 and _children_in_ap(hackney) == 2
    assert DashboardSnapshot.objects.count() == 2


def test_after_a_change_the_pages_looked_at_today_are_rebuilt_in_the_background(
    client, world, dataset, snapshots_on, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    client.force_login(world.manager_a)
    before = _children_in_ap(client.get(DASHBOARD, {"period": "this-term"}))
    with django_capture_on_commit_callbacks(execute=True):  # the task runs at once in tests
        PlanFactory(child=dataset.c6, provider=dataset.p1.provider, commissioning_la=dataset.dorset,
                    tier=2, start_date=dt.date(2026, 11, 16))
    kept = DashboardSnapshot.objects.get(local_authority=dataset.dorset)
    assert kept.stamp == freshness.versions(dataset.dorset.pk)  # rebuilt, not waiting for a look
    with django_assert_max_num_queries(6):
        after = client.get(DASHBOARD, {"period": "this-term"})
    assert _children_in_ap(after) == before + 1
    assert not DashboardSnapshot.objects.filter(local_authority=dataset.hackney).exists()  # nobody looked


def test_the_stamp_read_in_sql_is_the_stamp_kept(db):
    """The snapshot is looked up with the versions read in SQL; they must read exactly as the
    stamp written from Python, whether a version has been counted yet or not."""
    from django.db import connection

    from aptrack.oversight.models import DataVersion

    def in_sql(la_id: int) -> str:
        expression, params = freshness.versions_sql(la_id)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {expression}", params)
            return cursor.fetchone()[0]

    DataVersion.objects.all().delete()
    assert in_sql(7) == freshness.versions(7) == "0.0"
    DataVersion.objects.create(key=freshness.la_key(7), version=12_345_678_901)
    assert in_sql(7) == freshness.versions(7) == "0.12345678901"
    freshness.bump([freshness.ALL])
    assert in_sql(7) == freshness.versions(7) == "1.12345678901"
    assert in_sql(8) == freshness.versions(8) == "1.0"


def test_a_period_form_with_errors_is_shown_again_and_nothing_is_kept(client, world, dataset, snapshots_on):
    client.force_login(world.manager_a)
    client.get(DASHBOARD, {"period": "this-term"})
    response = client.get(DASHBOARD, {"period": "custom", "start-day": "31", "start-month": "2", "start-year": "2026"})
    body = response.content.decode()
    assert "There is a problem" in body and "Headlines" not in body
    assert DashboardSnapshot.objects.count() == 1  # only the valid one

