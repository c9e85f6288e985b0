"""Demo data a council officer would believe: nothing happened after "today", every approved
referral was decided at a panel meeting, providers are not over capacity, the PRU is in its own
LA, the demo AP panel's members can each sign in, and placements start and end on school days."""

import datetime as dt
from collections.abc import Iterator

import pytest
from django.utils import timezone

from aptrack.calendars.selectors import get_calendars
from aptrack.conftest import built_once
from aptrack.panels.models import Decision, Meeting, MeetingStatus, PanelMember
from aptrack.placements.models import Placement
from aptrack.providers.models import Provider, ProviderKind
from aptrack.providers.selectors import count_occupancy
from aptrack.referrals.models import Referral, ReferralEvent
from aptrack.referrals.states import ReferralStatus
from aptrack.synthetic import services
from aptrack.synthetic.tests.test_generate import SMALL, TODAY, _generate

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _demo_built(request: pytest.FixtureRequest) -> Iterator[services.GenerationSummary]:
    with built_once(request):
        yield _generate(size_factor=SMALL)


@pytest.fixture
def demo(_demo_built: services.GenerationSummary, db: None) -> services.GenerationSummary:
    """The demo data, generated once for this module's tests (each only reads it)."""
    return _demo_built


def test_nothing_is_dated_after_today(demo) -> None:
    end_of_today = timezone.make_aware(dt.datetime.combine(TODAY, dt.time(23, 59)))
    assert not Referral.objects.filter(updated_at__gt=end_of_today).exists()
    assert not Referral.objects.filter(created_at__gt=end_of_today).exists()
    assert not Referral.objects.filter(first_day_of_exclusion__gt=TODAY).exists()
    assert not ReferralEvent.objects.filter(at__gt=end_of_today).exists()
    assert not Decision.objects.filter(decided_at__gt=end_of_today).exists()
    assert not Meeting.objects.filter(status=MeetingStatus.CLOSED, date__gt=TODAY).exists()


def test_every_approved_referral_was_decided_at_a_panel_meeting_before_it_was_last_changed(
    demo,
) -> None:
    approved = Referral.objects.filter(status=ReferralStatus.APPROVED)
    assert approved.exists()
    for referral in approved.prefetch_related(
        "agenda_items__decision", "agenda_items__meeting", "events"
    ):
        decisions = [
            item.decision for item in referral.agenda_items.all() if hasattr(item, "decision")
        ]
        assert decisions, referral.pk
        assert all(d.agenda_item.meeting.date <= d.decided_at.date() <= TODAY for d in decisions)
        started = min(event.at for event in referral.events.all())
        assert started <= min(d.decided_at for d in decisions), referral.pk


def test_no_provider_is_over_capacity_and_the_pru_is_in_its_own_la(demo) -> None:
    for provider in Provider.objects.prefetch_related("sites"):
        placed = count_occupancy(provider=provider, on=TODAY)
        assert placed <= provider.capacity, (provider.name, placed, provider.capacity)
        if provider.kind == ProviderKind.PRU:
            assert {site.local_authority_id for site in provider.sites.all()} == {
                provider.home_la_id
            }


def test_each_member_of_the_demo_ap_panel_has_a_demo_login(demo) -> None:
    members = PanelMember.objects.filter(
        panel__kind="AP", panel__local_authority__code=services.DEMO_LA_CODE
    )
    assert members.count() >= 5
    for member in members.select_related("user"):
        assert member.user is not None and member.user.username in services.DEMO_USERNAMES, (
            member.agency
        )
        assert member.user.check_password(services.DEMO_PASSWORD)
        assert member.name == member.user.get_full_name()


def test_placements_start_and_end_on_school_days_of_their_la(demo) -> None:
    placements = list(Placement.objects.all())
    calendars = get_calendars(la_ids={p.commissioning_la_id for p in placements})
    checked = 0
    for p in placements:
        calendar = calendars[p.commissioning_la_id]
        first, last = calendar.terms[0][0], calendar.last_known_day
        for day in (p.start_date, p.end_date, p.planned_end_date):
            if day is not None and first <= day <= last:
                checked += 1
                assert calendar.is_school_day(day), (p.pk, p.status, day)
    assert checked > len(placements)
