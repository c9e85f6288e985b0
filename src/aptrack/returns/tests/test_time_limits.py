import datetime as dt

import pytest
from django.test import override_settings

from aptrack.children.tests.factories import PlacementFactory
from aptrack.organisations.tests.factories import EstablishmentFactory, OrganisationFactory, la
from aptrack.placements.states import PlacementStatus
from aptrack.providers.models import ProviderKind
from aptrack.returns.selectors import list_long_non_school_placements, list_providers_used_by_la
from aptrack.returns.tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db

ON = dt.date(2026, 12, 1)


def _days_ago(days: int) -> dt.date:
    return ON - dt.timedelta(days=days)


def _flagged(la_code: str = "838") -> list[tuple[int, int]]:
    return [
        (row.placement.pk, row.days_so_far)
        for row in list_long_non_school_placements(la_id=la(la_code).pk, on=ON)
    ]


@pytest.mark.parametrize(("days", "flagged"), [(84, False), (85, True), (276, True), (0, False)])
def test_non_school_placements_past_12_weeks_are_flagged(days, flagged):
    provider = ProviderFactory()
    placement = PlacementFactory(provider=provider.organisation, start_date=_days_ago(days))
    assert _flagged() == ([(placement.pk, days)] if flagged else [])


def test_longest_placements_come_first_with_days_in_words():
    provider = ProviderFactory(name="Synthetic Farm")
    newer = PlacementFactory(provider=provider.organisation, start_date=_days_ago(90))
    older = PlacementFactory(provider=provider.organisation, start_date=_days_ago(200))
    rows = list_long_non_school_placements(la_id=la("838").pk, on=ON)
    assert [row.placement for row in rows] == [older, newer]
    assert (
        rows[1].reason
        == "90 days so far (12 weeks): past the 12-week limit for non-school provision"
    )
    assert rows[0].provider_name == "Synthetic Farm"


def test_ended_and_cancelled_placements_are_ignored():
    provider = ProviderFactory()
    PlacementFactory(
        provider=provider.organisation, start_date=_days_ago(200), end_date=_days_ago(1)
    )
    still_on = PlacementFactory(
        provider=provider.organisation, start_date=_days_ago(200), end_date=ON
    )
    PlacementFactory(
        provider=provider.organisation, start_date=_days_ago(200), status=PlacementStatus.CANCELLED
    )
    assert _flagged() == [(still_on.pk, 200)]


@pytest.mark.parametrize(
    "kind", [ProviderKind.PRU, ProviderKind.AP_ACADEMY, ProviderKind.FE_COLLEGE]
)
def test_registered_providers_are_ignored(kind):
    provider = ProviderFactory(kind=kind)
    PlacementFactory(provider=provider.organisation, start_date=_days_ago(200))
    assert _flagged() == []


def test_a_provider_not_on_the_register_counts_as_non_school_unless_it_has_a_urn():
    unknown = OrganisationFactory(kind="PROVIDER", local_authority=la("838"))
    with_urn = OrganisationFactory(
        kind="PROVIDER", local_authority=la("838"), establishment=EstablishmentFactory()
    )
    placement = PlacementFactory(provider=unknown, start_date=_days_ago(100))
    PlacementFactory(provider=with_urn, start_date=_days_ago(100))
    rows = list_long_non_school_placements(la_id=la("838").pk, on=ON)
    assert [row.placement for row in rows] == [placement]
    assert not rows[0].on_register


def test_only_the_las_own_placements_are_listed():
    provider = ProviderFactory()
    hackney = PlacementFactory(
        provider=provider.organisation, start_date=_days_ago(100), commissioning_la=la("204")
    )
    assert _flagged("838") == []
    assert _flagged("204") == [(hackney.pk, 100)]


@override_settings(APTRACK_NON_SCHOOL_MAX_WEEKS=4)
def test_the_limit_is_a_setting():
    provider = ProviderFactory()
    placement = PlacementFactory(provider=provider.organisation, start_date=_days_ago(29))
    PlacementFactory(provider=provider.organisation, start_date=_days_ago(28))
    assert _flagged() == [(placement.pk, 29)]


def test_a_school_s_commission_is_flagged_for_the_la_the_child_lives_in():
    """The LA answers for a school's commission for a child living there
    (`placements.rules.la_placements_q`), so it is flagged, and the provider counts as one the
    LA uses; a placement still planned has not run and is not flagged."""
    provider = ProviderFactory(home_la=la("204"))  # based in Hackney
    school = OrganisationFactory(
        kind="SCHOOL", local_authority=la("204"), establishment=EstablishmentFactory()
    )
    by_school = PlacementFactory(
        provider=provider.organisation,
        start_date=_days_ago(100),
        commissioning_la=None,
        commissioning_school=school,
    )
    PlacementFactory(
        provider=provider.organisation, start_date=_days_ago(100), status=PlacementStatus.PLANNED
    )
    assert by_school.child.home_la == la("838")
    assert _flagged("838") == [(by_school.pk, 100)]
    assert _flagged("204") == []
    assert provider in list_providers_used_by_la(la_id=la("838").pk)
