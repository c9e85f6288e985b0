import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from aptrack.alerts.models import Alert
from aptrack.audit.models import AuditAction, AuditEvent
from aptrack.reports.models import Incident, ProviderReport
from aptrack.reports.tests.conftest import AT, AUTUMN_1
from aptrack.reports.tests.factories import IncidentFactory, ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(AT, tick=False):
        yield


def _report_post(outcome, **changes):
    data = {
        "half_term": AUTUMN_1.isoformat(),
        f"score_{outcome.pk}": "4",
        f"note_{outcome.pk}": "In by 9 most days",
        "english": "Reads a chapter a week",
        "maths": "Fractions secure",
        "wellbeing": "Settled",
        "child_words": "Nobody shouts here",
        "child_words_with_staff": "on",
        "family_words": "She gets up now",
        "next_steps": "Start GCSE English",
    }
    return {**data, **changes}


def test_the_provider_sends_a_report_the_la_reads_at_review(client, world, placement, outcome):
    client.force_login(world.provider_x)
    form = client.get(reverse("reports:new", args=[placement.pk]))
    assert "Autumn 1 2026/27" in form.content.decode()
    response = client.post(reverse("reports:new", args=[placement.pk]), _report_post(outcome))
    report = ProviderReport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("reports:detail", args=[report.pk])
    assert report.child_words_with_staff and report.progress.get().score == 4

    client.force_login(world.officer_a)
    review = client.get(reverse("placements:review_new", args=[placement.pk])).content.decode()
    assert "The provider's latest report: Autumn 1" in review
    assert "Nobody shouts here" in review and "given with a member of staff" in review
    timeline = client.get(reverse("placements:timeline", args=[world.child_a.pk])).content.decode()
    assert reverse("reports:detail", args=[report.pk]) in timeline


def test_a_report_with_a_field_missing_shows_the_error_and_saves_nothing(
    client, world, placement, outcome
):
    client.force_login(world.provider_x)
    response = client.post(
        reverse("reports:new", args=[placement.pk]), _report_post(outcome, english="")
    )
    assert response.status_code == 200
    assert "Enter progress in English" in response.content.decode()
    assert not ProviderReport.objects.exists()


def test_others_cannot_write_a_report(client, world, placement):
    for persona in ("officer_a", "school_y", "provider_z"):
        client.force_login(getattr(world, persona))
        assert client.get(reverse("reports:new", args=[placement.pk])).status_code in {403, 404}


def test_the_la_sees_overdue_reports(client, world, placement):
    client.force_login(world.officer_a)
    page = client.get(reverse("reports:overdue")).content.decode()
    assert "Ottilie" in page and "Autumn 1 2026/27" in page
    client.force_login(world.provider_x)
    assert client.get(reverse("reports:overdue")).status_code == 403


def test_the_overdue_list_links_each_child_to_the_placements_reports(client, world, placement):
    client.force_login(world.officer_a)
    page = client.get(reverse("reports:overdue")).content.decode()
    href = reverse("reports:placement", args=[placement.pk])
    assert f'<a class="govuk-link" href="{href}">{placement.child.known_as}' in page
    assert "&lt;a" not in page  # a link, not its markup shown as text
    assert "within 10 days of the half term ending" in page


def test_the_overdue_list_is_paged_and_records_only_the_children_shown(
    client, world, placement, monkeypatch
):
    from aptrack.children.tests.factories import PlacementFactory
    from aptrack.reports import views

    PlacementFactory(
        child=world.child_a2,
        provider=placement.provider,
        commissioning_la=world.child_a.home_la,
        start_date=placement.start_date,
    )
    monkeypatch.setattr(views, "OVERDUE_PER_PAGE", 1)
    client.force_login(world.officer_a)
    first = client.get(reverse("reports:overdue")).content.decode()
    assert "2 reports overdue, page 1 of 2" in first and "?page=2" in first
    second = client.get(reverse("reports:overdue"), {"page": 2}).content.decode()
    assert "page 2 of 2" in second
    viewed = AuditEvent.objects.filter(action=AuditAction.VIEWED, actor=world.officer_a)
    assert viewed.count() == 2  # one child a page
    assert set(viewed.values_list("child_id", flat=True)) == {world.child_a.pk, world.child_a2.pk}


def test_a_placements_reports_link_to_each_report_sent(client, world, placement):
    report = ReportFactory(placement=placement, submitted_by=world.provider_x)
    client.force_login(world.officer_a)
    page = client.get(reverse("reports:placement", args=[placement.pk])).content.decode()
    href = reverse("reports:detail", args=[report.pk])
    assert f'<a class="govuk-link" href="{href}">Autumn 1 2026/27</a>' in page
    assert "&lt;a" not in page


def test_a_safeguarding_concern_from_the_page_alerts_the_la(client, world, placement):
    client.force_login(world.provider_x)
    response = client.post(
        reverse("reports:incident_new", args=[placement.pk]),
        {
            "category": "SAFEGUARDING",
            "occurred_on-day": "5",
            "occurred_on-month": "11",
            "occurred_on-year": "2026",
            "occurred_time": "09:15",
            "what_happened": "Bruise on arm, would not say how",
            "actions_taken": "DSL told; MASH called",
        },
    )
    incident = Incident.objects.get()
    assert response.status_code == 302, response.content.decode()
    assert Alert.objects.get(pk=incident.alert_id).local_authority_id == world.child_a.home_la_id


def test_every_view_of_an_incident_is_audited(client, world, placement):
    incident = IncidentFactory(
        placement=placement, recorded_by=world.provider_x, what_happened="Bruise on arm"
    )
    client.force_login(world.social_worker)
    for _ in range(2):
        page = client.get(reverse("reports:incident", args=[incident.pk])).content.decode()
        assert "Bruise on arm" in page
    views = AuditEvent.objects.filter(
        action=AuditAction.VIEWED, actor=world.social_worker, child_id=world.child_a.pk
    )
    assert views.count() == 2
    client.force_login(world.school_y)
    assert client.get(reverse("reports:incident", args=[incident.pk])).status_code in {403, 404}


def test_the_childs_record_links_to_the_chronology(client, world, placement):
    IncidentFactory(
        placement=placement,
        recorded_by=world.provider_x,
        occurred_at=dt.datetime(2026, 10, 1, 10, tzinfo=dt.UTC),
    )
    ReportFactory(placement=placement, submitted_by=world.provider_x)
    client.force_login(world.officer_a)
    record = client.get(reverse("children:detail", args=[world.child_a.pk])).content.decode()
    assert reverse("reports:chronology", args=[world.child_a.pk]) in record
    assert reverse("reports:placement", args=[placement.pk]) in record
    chronology = client.get(reverse("reports:chronology", args=[world.child_a.pk]))
    assert "Behaviour" in chronology.content.decode()


def test_the_placement_page_links_to_reports_and_the_home_page_counts_overdue(
    client, world, placement
):
    client.force_login(world.provider_x)
    page = client.get(reverse("placements:detail", args=[placement.pk])).content.decode()
    assert reverse("reports:placement", args=[placement.pk]) in page
    assert reverse("reports:incident_new", args=[placement.pk]) in page
    client.force_login(world.officer_a)
    home = client.get("/").content.decode()
    assert "1 provider report overdue" in home
    client.force_login(world.provider_x)
    assert "overdue" not in client.get("/").content.decode()


def test_the_alert_links_to_the_concern_behind_it(client, world, placement):
    client.force_login(world.provider_x)
    client.post(
        reverse("reports:incident_new", args=[placement.pk]),
        {
            "category": "SAFEGUARDING",
            "occurred_on-day": "5",
            "occurred_on-month": "11",
            "occurred_on-year": "2026",
            "occurred_time": "09:15",
            "what_happened": "Disclosure",
            "actions_taken": "DSL told",
        },
    )
    incident = Incident.objects.get()
    client.force_login(world.officer_a)
    page = client.get(reverse("alerts:detail", args=[incident.alert_id])).content.decode()
    assert reverse("reports:incident", args=[incident.pk]) in page
    assert "Safeguarding concern" in page
