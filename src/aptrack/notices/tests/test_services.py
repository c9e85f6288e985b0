import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from aptrack.audit.models import Channel
from aptrack.census.selectors import placements_running_on
from aptrack.children import upn
from aptrack.children.models import Child
from aptrack.notices import services
from aptrack.notices.models import Notice, NoticeKind
from aptrack.organisations.tests.factories import EstablishmentFactory, la
from aptrack.placements import selectors as placement_selectors
from aptrack.placements.models import Placement
from aptrack.placements.rules import la_placements
from aptrack.providers.models import Provider
from aptrack.referrals import selectors as referral_selectors
from aptrack.referrals.models import Route
from aptrack.returns.threshold import evaluate_threshold

pytestmark = pytest.mark.django_db

NEW_UPN = upn.make("838", "4101", "21", "777")
FIRST_DAY = dt.date(2026, 12, 1)


def _exclusion(**overrides):
    return {
        "kind": NoticeKind.PERMANENT_EXCLUSION,
        "upn": NEW_UPN,
        "legal_first_name": "Rosalind",
        "legal_last_name": "Quenby",
        "date_of_birth": dt.date(2012, 5, 1),
        "sex": "F",
        "first_day": FIRST_DAY,
        "exclusion_reason": "PA",
        "governors_meeting_date": dt.date(2026, 12, 10),
        **overrides,
    }


def _ap(**overrides):
    return {
        "upn": NEW_UPN,
        "legal_first_name": "Rosalind",
        "legal_last_name": "Quenby",
        "date_of_birth": dt.date(2012, 5, 1),
        "sex": "F",
        "provider_name": "Hilltop Horse Project",
        "provider_address": "Hilltop Farm",
        "provider_town": "Wareham",
        "provider_postcode": "bh20 4aa",
        "start_date": dt.date(2026, 12, 1),
        "hours_per_week": Decimal("25"),
        "ap_reason": "BEHAVIOUR",
        "review_date": dt.date(2027, 1, 20),
        **overrides,
    }


def _notify(service, actor, data):
    return service(actor=actor, at=timezone.now(), channel=Channel.WEB, data=data)


def test_a_permanent_exclusion_of_a_new_child_starts_the_home_las_sixth_day_clock(world):
    notice = _notify(services.notify_exclusion, world.school_y, _exclusion())

    child = Child.objects.get(upn=NEW_UPN)
    assert child.home_la.code == "838"
    assert child.home_school_id == world.school_y.organisation.establishment_id
    assert notice.referral.route == Route.PERMANENT_EXCLUSION
    assert notice.referral.first_day_of_exclusion == FIRST_DAY
    duties = placement_selectors.list_sixth_day_deadlines(la_id=la("838").pk, on=FIRST_DAY)
    assert [d.child.pk for d in duties] == [child.pk]
    assert notice.placement is None


def test_a_permanent_exclusion_names_the_home_la_when_the_child_lives_elsewhere(world):
    notice = _notify(services.notify_exclusion, world.school_y, _exclusion(home_la_code="204"))

    assert notice.home_la.code == "204"
    assert notice.referral.commissioning_la.code == "204"
    duties = referral_selectors.list_sixth_day_duties(la_id=la("204").pk, on=FIRST_DAY)
    assert [d.referral.pk for d in duties] == [notice.referral.pk]


def test_an_exclusion_of_a_child_already_in_ap_is_linked_to_the_placement(world):
    notice = _notify(services.notify_exclusion, world.school_y, _exclusion(upn=world.child_a.upn))

    assert notice.child == world.child_a
    assert notice.placement == Placement.objects.get(child=world.child_a)


def test_sending_the_same_exclusion_again_updates_the_notice(world):
    first = _notify(services.notify_exclusion, world.school_y, _exclusion())
    again = _notify(services.notify_exclusion, world.school_y, _exclusion(exclusion_reason="BU"))

    assert again.pk == first.pk
    assert again.exclusion_reason == "BU"
    assert Notice.objects.count() == 1
    assert first.child.referrals.count() == 1


def test_a_suspension_must_be_longer_than_five_days(world):
    with pytest.raises(services.NoticeInvalid) as raised:
        _notify(
            services.notify_exclusion,
            world.school_y,
            _exclusion(kind=NoticeKind.SUSPENSION, suspension_days=5),
        )
    assert raised.value.errors["suspension_days"] == [services.SUSPENSION_DAYS_NEEDED]
    assert not Child.objects.filter(upn=NEW_UPN).exists()

    notice = _notify(
        services.notify_exclusion,
        world.school_y,
        _exclusion(kind=NoticeKind.SUSPENSION, suspension_days=8),
    )
    assert notice.referral.route == Route.SUSPENSION


def test_another_schools_pupil_is_refused_and_nothing_is_written(world):
    other = EstablishmentFactory(name="Other School", local_authority=la("838"))
    world.child_a2.home_school = other
    world.child_a2.save()

    with pytest.raises(services.NoticeInvalid) as raised:
        _notify(services.notify_exclusion, world.school_y, _exclusion(upn=world.child_a2.upn))

    assert raised.value.errors["upn"] == [services.UPN_OTHER_SCHOOL]
    assert not Notice.objects.exists()


def test_a_new_child_needs_their_details_and_the_meeting_follows_the_first_day(world):
    with pytest.raises(services.NoticeInvalid) as raised:
        _notify(
            services.notify_exclusion,
            world.school_y,
            _exclusion(legal_first_name="", governors_meeting_date=dt.date(2026, 11, 1)),
        )
    assert set(raised.value.errors) == {"legal_first_name", "governors_meeting_date"}


@pytest.mark.parametrize("persona", ["officer_a", "provider_x", "social_worker"])
def test_only_school_staff_send_notices(world, persona):
    with pytest.raises(services.NoticeNotAllowed):
        _notify(services.notify_exclusion, getattr(world, persona), _exclusion())


def test_school_ap_with_an_unknown_provider_adds_it_and_the_home_la_answers_for_it(world):
    notice = _notify(services.notify_school_ap, world.school_y, _ap())

    provider = notice.provider
    assert notice.provider_added
    assert provider.setting_type == "OTH"
    assert [s.postcode for s in provider.sites.all()] == ["BH20 4AA"]
    assert not provider.approvals.exists()  # not yet assessed by any LA
    placement = notice.placement
    assert placement.commissioning_la is None
    assert placement.commissioning_school == world.school_y.organisation
    assert placement.status == "ACTIVE"
    dorset = la("838")
    assert placement in la_placements(dorset.pk)
    assert placement not in placements_running_on(la=dorset, census_date=dt.date(2027, 1, 21))


def test_the_same_unregistered_provider_is_found_again_not_added_twice(world):
    _notify(services.notify_school_ap, world.school_y, _ap())
    second = _notify(
        services.notify_school_ap,
        world.school_y,
        _ap(upn=world.child_a.upn, provider_name="hilltop horse project"),
    )
    assert not second.provider_added
    assert Provider.objects.filter(name__iexact="Hilltop Horse Project").count() == 1


def test_a_school_placement_counts_towards_the_registration_threshold(world):
    notice = _notify(services.notify_school_ap, world.school_y, _ap(upn=world.child_a2.upn))

    result = evaluate_threshold(notice.provider, dt.date(2026, 12, 2))
    assert result.must_register  # a looked-after child full-time
    assert world.child_a2.pk in result.child_ids


def test_school_ap_needs_a_known_urn_and_writes_nothing_otherwise(world):
    with pytest.raises(services.NoticeInvalid) as raised:
        _notify(services.notify_school_ap, world.school_y, _ap(provider_urn="999999"))
    assert raised.value.errors["provider_urn"] == [
        services.PROVIDER_URN_UNKNOWN.format(urn="999999")
    ]
    assert not Child.objects.filter(upn=NEW_UPN).exists()
    assert not Placement.objects.filter(commissioning_la__isnull=True).exists()


def test_school_ap_needs_a_provider_and_a_review_after_the_start(world):
    with pytest.raises(services.NoticeInvalid) as raised:
        _notify(
            services.notify_school_ap,
            world.school_y,
            _ap(provider_name="", review_date=dt.date(2026, 11, 1), hours_per_week="lots"),
        )
    assert set(raised.value.errors) == {None, "review_date", "hours_per_week"}


def test_sending_the_same_school_ap_again_makes_no_second_placement(world):
    first = _notify(services.notify_school_ap, world.school_y, _ap())
    again = _notify(services.notify_school_ap, world.school_y, _ap())
    assert again.pk == first.pk
    assert Placement.objects.filter(child=first.child).count() == 1
