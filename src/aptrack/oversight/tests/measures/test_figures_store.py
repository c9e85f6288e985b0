"""Every figure is read from one store: computed once, served while nothing behind it has
changed, or while data is coming in for at most APTRACK_FIGURES_MAX_AGE, then computed again;
each app says which LAs its saved objects touch, and bulk writers announce theirs."""

import datetime as dt
import re

import pytest
import time_machine
from django.apps import apps
from django.urls import reverse

from aptrack.children.tests.factories import ChildFactory, PlacementFactory
from aptrack.core import changes
from aptrack.improvement import measures as improvement_measures
from aptrack.organisations.models import Organisation
from aptrack.organisations.tests.factories import la
from aptrack.oversight.measures import store
from aptrack.oversight.measures.build import build_dashboard
from aptrack.oversight.measures.periods import Period
from aptrack.oversight.models import Figures
from aptrack.oversight.pack import build as pack
from aptrack.oversight.tests import dashboard_data

dataset = dashboard_data.dataset
pytestmark = pytest.mark.django_db
DASHBOARD = reverse("oversight:dashboard")
NOON = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOON, tick=False) as clock:
        yield clock


def _children_in_ap(response) -> int:
    found = re.search(r'measure=children_in_ap"[^>]*>(\d+)</a>', response.content.decode())
    assert found, "no Children in AP now figure"
    return int(found.group(1))


def _new_child_in_ap(authority):
    provider = Organisation.objects.get(name="Heathside PRU")  # the dataset's
    PlacementFactory(
        child=ChildFactory(home_la=authority),
        commissioning_la=authority,
        provider=provider,
        start_date=dt.date(2026, 11, 2),
    )


def test_a_second_look_is_served_the_kept_figures(
    client, world, dataset, django_assert_max_num_queries
):
    client.force_login(world.manager_a)
    first = client.get(DASHBOARD)
    row = Figures.objects.get(local_authority=la("838"), view="dashboard")
    assert "Figures computed 23 November 2026, 12:00pm." in first.content.decode()
    with django_assert_max_num_queries(8):  # session, user, versions, figures; no measure queries
        again = client.get(DASHBOARD)
    assert _children_in_ap(again) == _children_in_ap(first)
    assert Figures.objects.get(pk=row.pk).computed_at == row.computed_at


def test_a_change_to_the_las_data_is_counted_and_shown(client, world, dataset):
    client.force_login(world.manager_a)
    before = _children_in_ap(client.get(DASHBOARD))
    _new_child_in_ap(la("838"))
    assert _children_in_ap(client.get(DASHBOARD)) == before + 1


def test_while_data_comes_in_figures_are_served_up_to_the_bound_then_computed(
    client, world, dataset, settings, _clock
):
    settings.APTRACK_FIGURES_MAX_AGE = dt.timedelta(seconds=60)
    client.force_login(world.manager_a)
    before = _children_in_ap(client.get(DASHBOARD))
    _new_child_in_ap(la("838"))
    _clock.move_to(NOON + dt.timedelta(seconds=59))
    assert _children_in_ap(client.get(DASHBOARD)) == before  # within the bound: kept, says when
    _clock.move_to(NOON + dt.timedelta(seconds=61))
    response = client.get(DASHBOARD)
    assert _children_in_ap(response) == before + 1  # beyond it: computed on the request
    assert "12:01pm" in response.content.decode()


def test_a_change_to_another_la_leaves_the_kept_figures_current(world, dataset):
    dorset, hackney = la("838"), la("204")
    kept = store.dashboard(la=dorset, period=Period.term_containing(TODAY), today=TODAY)
    stamp = Figures.objects.get(local_authority=dorset).stamp
    _new_child_in_ap(hackney)
    assert store.versions([dorset.pk])[dorset.pk] == stamp
    assert store.dashboard(la=dorset, period=Period.term_containing(TODAY), today=TODAY) == kept


def test_the_worker_refreshes_the_figures_looked_at_after_a_change_commits(
    world, dataset, settings, django_capture_on_commit_callbacks
):
    settings.APTRACK_CHANGES_AT_COMMIT = True
    settings.APTRACK_FIGURES_MAX_AGE = dt.timedelta(seconds=60)
    dorset, term = la("838"), Period.term_containing(TODAY)
    before = (
        store.dashboard(la=dorset, period=term, today=TODAY).figures.figure("children_in_ap").value
    )
    with django_capture_on_commit_callbacks(execute=True):  # the change commits; the task runs
        _new_child_in_ap(dorset)
    row = Figures.objects.get(local_authority=dorset, view="dashboard")
    assert row.stamp == store.versions([dorset.pk])[dorset.pk]
    assert (
        store.dashboard(la=dorset, period=term, today=TODAY).figures.figure("children_in_ap").value
        == before + 1
    )


def test_a_bulk_writer_announces_the_las_it_wrote_for(world):
    dorset, hackney = la("838"), la("204")
    before = store.versions([dorset.pk, hackney.pk])
    changes.announce(la_ids=[dorset.pk])
    after = store.versions([dorset.pk, hackney.pk])
    assert after[dorset.pk] != before[dorset.pk] and after[hackney.pk] == before[hackney.pk]
    changes.announce(la_ids=None)  # may touch any LA (a register of providers)
    assert all(store.versions([pk])[pk] != after[pk] for pk in (dorset.pk, hackney.pk))


def test_each_app_says_which_las_its_models_touch():
    registered = {model._meta.label for model in changes.registered()}
    assert registered >= {
        "children.Child",
        "placements.Placement",
        "placements.IntendedOutcome",
        "placements.Review",
        "placements.OutcomeProgress",
        "placements.FollowUp",
        "referrals.Referral",
        "referrals.ReferralEvent",
        "outcomes.AttainmentRecord",
        "outcomes.Qualification",
        "outcomes.WellbeingScore",
        "outcomes.PriorAttendance",
        "outcomes.OutreachSupport",
        "attendance.AttendanceMark",
        "attendance.PlacementWeek",
        "calendars.TermPeriod",
        "calendars.ClosureDay",
        "providers.Provider",
        "providers.ProviderSite",
        "organisations.LocalAuthority",
        "organisations.Organisation",
    }
    assert all(apps.is_installed(model._meta.app_config.name) for model in changes.registered())


def test_a_child_moving_away_touches_both_las(world):
    dorset, hackney = la("838"), la("204")
    child = ChildFactory(home_la=dorset)
    before = store.versions([dorset.pk, hackney.pk])
    child.home_la = hackney
    child.save()
    after = store.versions([dorset.pk, hackney.pk])
    assert after[dorset.pk] != before[dorset.pk] and after[hackney.pk] != before[hackney.pk]


def test_kept_figures_are_the_measures_own(world, dataset):
    dorset, term = la("838"), Period.term_containing(TODAY)
    for cohort in ("period", "now"):
        built = build_dashboard(la=dorset, period=term, today=TODAY, cohort=cohort)
        kept = store.decode_dashboard(
            store.encode_dashboard(built), la=dorset, period=term, today=TODAY
        )
        assert kept.sections == built.sections and kept.extra == built.extra


def test_the_improvement_plan_and_the_pack_read_the_same_kept_figures(world, dataset):
    dorset, term = la("838"), Period.term_containing(TODAY)
    kept = store.dashboard(la=dorset, period=term, today=TODAY)
    values = improvement_measures.current_values(la=dorset, keys={"children_in_ap"}, today=TODAY)
    assert values["children_in_ap"].computed_at == kept.computed_at
    built = pack.build_pack(
        la=dorset, period=term, today=TODAY, for_publication=False, generated_at=NOON
    )
    assert built.dashboard.figure("children_in_ap") == kept.figures.figure("children_in_ap")
    assert Figures.objects.filter(local_authority=dorset, view="dashboard", day=TODAY).count() == 1


def test_the_national_view_keeps_every_las_figures_and_computes_only_the_changed(
    client, world, dataset, _clock
):
    client.force_login(world.analyst)
    first = client.get(reverse("oversight:regional"))
    assert first.status_code == 200
    assert "Figures computed 23 November 2026, 12:00pm" in " ".join(first.content.decode().split())
    assert Figures.objects.filter(view="comparison").count() > 100  # every LA, computed together
    dorset = la("838")
    changes.announce(la_ids=[dorset.pk])  # as an attendance import for Dorset would
    _clock.move_to(NOON + dt.timedelta(minutes=5))
    client.get(reverse("oversight:regional"))
    recomputed = Figures.objects.filter(view="comparison", computed_at__gt=NOON)
    assert list(recomputed.values_list("local_authority_id", flat=True)) == [dorset.pk]
