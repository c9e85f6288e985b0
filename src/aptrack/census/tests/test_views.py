import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from aptrack.audit.models import AuditAction, AuditEvent
from aptrack.census import validation as v
from aptrack.census.items import HEADERS
from aptrack.census.tests.factories import placement, tuition_provider

pytestmark = pytest.mark.django_db

AFTER_CENSUS = dt.datetime(2027, 2, 1, 12, 0, tzinfo=dt.UTC)

# persona: status of Dorset's census page
ROLE_ACCESS = {
    "officer_a": 200,
    "manager_a": 200,
    "officer_b": 404,  # another LA's census
    "qa_lead_a": 403,
    "provider_x": 403,
    "school_y": 403,
    "social_worker": 403,
    "virtual_school_head_a": 403,
    "panel_member": 403,
    "analyst": 403,
}


@pytest.fixture
def ready(world):
    """The world's Dorset placement made census-ready: on the register, with a referral."""
    provider = tuition_provider(organisation=world.provider_x.organisation)
    return placement(provider=provider, child=world.child_a)


@pytest.mark.parametrize("persona", ROLE_ACCESS)
def test_who_may_prepare_the_census(client, world, persona):
    with time_machine.travel(AFTER_CENSUS):
        client.force_login(getattr(world, persona))
        response = client.get(reverse("census:page", args=["838"]))
        download = client.get(reverse("census:download", args=["838"]))
    assert response.status_code == ROLE_ACCESS[persona]
    assert download.status_code in (
        {200, 409} if ROLE_ACCESS[persona] == 200 else {ROLE_ACCESS[persona]}
    )


def test_home_goes_to_own_la(client, world):
    client.force_login(world.officer_b)
    assert client.get(reverse("census:home"))["Location"] == reverse("census:page", args=["204"])


@time_machine.travel(AFTER_CENSUS)
def test_page_shows_population_and_report(client, world, ready):
    client.force_login(world.officer_a)
    response = client.get(reverse("census:page", args=["838"]))
    html = response.content.decode()
    assert "21 January 2027" in html
    # The world's provider X placement has no referral, so it is on the report.
    assert v.REASON_MISSING in html
    assert world.child_a.upn in html
    assert "Download the error report (CSV)" in html
    assert "Download the census file (CSV)" not in html
    assert "1 (PlacementReason: 1)" in html


@time_machine.travel(AFTER_CENSUS)
def test_download_is_refused_with_the_report_while_errors_remain(client, world, ready):
    client.force_login(world.officer_a)
    response = client.get(reverse("census:download", args=["838"]))
    assert response.status_code == 409
    assert "The census file was not produced" in response.content.decode()
    assert v.REASON_MISSING in response.content.decode()
    report = client.get(reverse("census:errors", args=["838"]))
    assert report["Content-Type"].startswith("text/csv")
    assert v.REASON_MISSING in report.content.decode()
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.EXPORTED, where__contains="error report"
        ).count()
        == 1
    )


@time_machine.travel(AFTER_CENSUS)
def test_download_gives_the_csv_when_clean(client, world, ready):
    world.child_a.placements.exclude(pk=ready.pk).delete()
    client.force_login(world.manager_a)
    page = client.get(reverse("census:page", args=["838"]))
    assert "No problems: the census file passes every check." in page.content.decode()
    response = client.get(
        reverse("census:download", args=["838"]),
        {"census_date-day": "21", "census_date-month": "1", "census_date-year": "2027"},
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="ap-census-838-2027-01-21.csv"'
    lines = response.content.decode("utf-8").splitlines()
    assert lines[0] == ",".join(HEADERS)
    assert lines[1].startswith(world.child_a.upn)
    assert AuditEvent.objects.filter(action=AuditAction.EXPORTED, actor=world.manager_a).exists()


@time_machine.travel(AFTER_CENSUS)
def test_a_bad_census_day_reshows_with_the_error(client, world):
    client.force_login(world.officer_a)
    response = client.get(
        reverse("census:page", args=["838"]),
        {"census_date-day": "31", "census_date-month": "2", "census_date-year": "2027"},
    )
    assert response.status_code == 200
    assert "Census day must be a real date" in response.content.decode()


@time_machine.travel(AFTER_CENSUS)
def test_officer_records_a_missing_reason_and_the_census_clears(client, world):
    client.force_login(world.officer_a)
    page = client.get(reverse("census:page", args=["838"])).content.decode()
    p = world.child_a.placements.get()
    url = reverse("census:reason", args=["838", p.pk])
    assert url in page
    assert client.post(url, {}).status_code == 200  # nothing chosen: re-shown with the error
    response = client.post(url, {"primary_reason": "BEHAVIOUR"})
    assert response.status_code == 302
    page = client.get(reverse("census:page", args=["838"])).content.decode()
    assert v.REASON_MISSING not in page


@time_machine.travel(AFTER_CENSUS)
def test_another_las_placement_reason_is_404(client, world):
    client.force_login(world.officer_a)
    p = world.child_b.placements.get()
    assert client.get(reverse("census:reason", args=["838", p.pk])).status_code == 404
    client.force_login(world.officer_b)
    assert client.get(reverse("census:reason", args=["838", p.pk])).status_code == 404
