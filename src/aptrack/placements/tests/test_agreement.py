"""The individual service agreement: kept when a placement starts, drawn from that snapshot,
downloaded by the LA and the provider (a read of the child)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from aptrack.audit.models import AuditAction, AuditEvent
from aptrack.placements.agreement import render_agreement_html
from aptrack.placements.models import ServiceAgreement
from aptrack.placements.services import moves as placement_moves
from aptrack.placements.services import plan as placement_plan
from aptrack.placements.services.agreements import keep_agreement
from aptrack.placements.tests.factories import AT, START, OutcomeFactory

pytestmark = pytest.mark.django_db
STARTED_AT = dt.datetime(2026, 9, 7, 9, 0, tzinfo=dt.UTC)


def _started(world, setting):
    placement = placement_plan.create_placement(
        actor=world.officer_a, at=AT, data=setting.data(world)
    )
    OutcomeFactory(placement=placement, description="Back in maths lessons", target="4 a week")
    assert not ServiceAgreement.objects.filter(placement=placement).exists()  # planned only
    return placement_moves.activate_placement(
        actor=world.officer_a, at=STARTED_AT, placement=placement
    )


def test_starting_a_placement_keeps_its_agreement(world, setting):
    placement = _started(world, setting)
    kept = placement.service_agreement
    a = kept.snapshot
    assert (kept.made_by, a["made_on"]) == (world.officer_a, "2026-09-07")
    assert a["provision"]["provider"] == "Provider X"
    assert a["hours"]["per_week"] == "25.0"
    assert a["length"] == {
        "start_date": START.isoformat(),
        "planned_end_date": (START + dt.timedelta(weeks=10)).isoformat(),
        "maximum_end_date": (START + dt.timedelta(weeks=12)).isoformat(),
        "weeks": 11,
    }
    assert a["cost"]["weekly"] == "500.00"
    assert [o["description"] for o in a["outcomes"]] == ["Back in maths lessons"]
    assert {c["check"] for c in a["safeguarding"]} >= {"Named designated safeguarding lead"}
    # Starting twice is refused; the agreement kept is the first one.
    keep_agreement(placement=placement, by=world.manager_a, at=STARTED_AT)
    assert ServiceAgreement.objects.get(placement=placement).made_by == world.officer_a


def test_a_placement_made_already_started_keeps_one_too(world, setting):
    placement = placement_plan.create_placement(
        actor=world.officer_a, at=STARTED_AT, data=setting.data(world)
    )
    assert placement.service_agreement.snapshot["length"]["start_date"] == START.isoformat()


def test_the_document_is_drawn_from_the_snapshot_not_todays_record(world, setting):
    placement = _started(world, setting)
    placement.hours_per_week = Decimal(10)
    placement.weekly_cost = Decimal(1)
    placement.save()
    kept = ServiceAgreement.objects.get(placement=placement)
    html = render_agreement_html(kept.snapshot, kept=True)
    assert "£500.00" in html and "Back in maths lessons" in html
    assert html == render_agreement_html(kept.snapshot, kept=True)


@pytest.mark.parametrize("persona", ["officer_a", "provider_x"])
def test_the_la_and_the_provider_download_it_and_the_read_is_recorded(
    client, world, setting, persona
):
    placement = _started(world, setting)
    user = getattr(world, persona)
    client.force_login(user)
    detail = client.get(reverse("placements:detail", args=[placement.pk])).content.decode()
    assert reverse("placements:agreement", args=[placement.pk]) in detail
    viewed = AuditEvent.objects.filter(
        actor=user, action=AuditAction.VIEWED, child_id=placement.child_id
    )
    before = viewed.count()
    response = client.get(reverse("placements:agreement", args=[placement.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert viewed.count() == before + 1


@pytest.mark.parametrize("persona", ["officer_b", "provider_z", "social_worker"])
def test_others_may_not(client, world, setting, persona):
    placement = _started(world, setting)
    client.force_login(getattr(world, persona))
    response = client.get(reverse("placements:agreement", args=[placement.pk]))
    assert response.status_code in (403, 404)


def test_a_planned_placement_has_no_agreement_to_download(client, world, setting):
    placement = placement_plan.create_placement(
        actor=world.officer_a, at=AT, data=setting.data(world)
    )
    client.force_login(world.officer_a)
    assert client.get(reverse("placements:agreement", args=[placement.pk])).status_code == 403
