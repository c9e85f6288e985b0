"""The national view's figures are kept: served as kept while nothing has changed, or for at
most the configured time after they were read once something has; the page says when they were
read. What is kept reads back exactly as what was read."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from aptrack.attendance.measures import SessionCounts
from aptrack.children.tests.factories import ChildFactory, PlacementFactory
from aptrack.organisations.tests.factories import la
from aptrack.oversight import freshness, national_figures
from aptrack.oversight.regional_selectors import LaFigures, la_figures
from aptrack.oversight.tests.regional_samples import AUTUMN, TODAY, populate

pytestmark = pytest.mark.django_db
NOON = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def kept_on(settings, world):
    settings.APTRACK_DASHBOARD_SNAPSHOTS = True
    settings.APTRACK_NATIONAL_FIGURES_MAX_AGE = dt.timedelta(minutes=15)
    populate(world)
    freshness.flush()
    return world


def _dorset_now(read) -> int:
    return read.figures[la("838").pk].children_now


def _another_dorset_child_in_ap(world) -> None:
    PlacementFactory(child=ChildFactory(home_la=la("838")), provider=world.provider_x.organisation,
                     commissioning_la=la("838"))
    freshness.flush()  # as the change's commit would count it


def test_kept_figures_read_back_exactly():
    figures = LaFigures(children_now=7, ehcp_now=3, attendance=SessionCounts(*range(1, 9)), excluded=2,
                        registered=SessionCounts(present=4), reintegrated=1)
    assert national_figures.decode(national_figures.encode(figures)) == figures


def test_served_as_kept_while_nothing_changes(kept_on):
    with time_machine.travel(NOON, tick=False):
        first = national_figures.every_la(period=AUTUMN, today=TODAY)
    with time_machine.travel(NOON + dt.timedelta(hours=3), tick=False):
        again = national_figures.every_la(period=AUTUMN, today=TODAY)
    assert not first.kept and again.kept
    assert again.figures == first.figures == la_figures(las=list(first_las()), period=AUTUMN, today=TODAY)
    assert again.read_at == first.read_at


def first_las():
    from aptrack.organisations.models import LocalAuthority

    return LocalAuthority.objects.order_by("pk")


def test_after_a_change_kept_figures_are_served_for_the_time_allowed_only(kept_on):
    with time_machine.travel(NOON, tick=False):
        before = _dorset_now(national_figures.every_la(period=AUTUMN, today=TODAY))
        _another_dorset_child_in_ap(kept_on)
    with time_machine.travel(NOON + dt.timedelta(minutes=5), tick=False):
        still = national_figures.every_la(period=AUTUMN, today=TODAY)  # under half the time: no refresh
    with time_machine.travel(NOON + dt.timedelta(minutes=16), tick=False):
        later = national_figures.every_la(period=AUTUMN, today=TODAY)
    assert still.kept and _dorset_now(still) == before
    assert not later.kept and _dorset_now(later) == before + 1


def test_a_look_at_figures_half_their_age_has_them_read_again_in_the_background(kept_on):
    """Tasks run as they are enqueued in tests, so the worker's read happens during the look."""
    with time_machine.travel(NOON, tick=False):
        before = _dorset_now(national_figures.every_la(period=AUTUMN, today=TODAY))
        _another_dorset_child_in_ap(kept_on)
    with time_machine.travel(NOON + dt.timedelta(minutes=10), tick=False):
        look = national_figures.every_la(period=AUTUMN, today=TODAY)
    with time_machine.travel(NOON + dt.timedelta(minutes=11), tick=False):
        next_look = national_figures.every_la(period=AUTUMN, today=TODAY)
    assert look.kept and _dorset_now(look) == before  # this look is not kept waiting
    assert next_look.kept and _dorset_now(next_look) == before + 1  # the next is served the new read
    assert next_look.read_at == NOON + dt.timedelta(minutes=10)


def test_the_background_read_is_skipped_when_nothing_changed_since(kept_on):
    with time_machine.travel(NOON, tick=False):
        national_figures.every_la(period=AUTUMN, today=TODAY)
        assert national_figures.refresh(period=AUTUMN, today=TODAY) is False
        _another_dorset_child_in_ap(kept_on)
        assert national_figures.refresh(period=AUTUMN, today=TODAY) is True
        assert national_figures.refresh(period=AUTUMN, today=TODAY) is False


def test_read_afresh_when_turned_off(settings, world):
    settings.APTRACK_DASHBOARD_SNAPSHOTS = False
    populate(world)
    assert not national_figures.every_la(period=AUTUMN, today=TODAY).kept
    assert not national_figures.every_la(period=AUTUMN, today=TODAY).kept


def test_the_page_says_when_its_figures_were_read(client, kept_on):
    client.force_login(kept_on.analyst)
    with time_machine.travel(NOON, tick=False):
        page = " ".join(client.get(reverse("oversight:regional")).content.decode().split())
    assert "Figures read 25 November 2026, 12:00pm" in page
    assert "kept for up to 15 minutes" in page
