"""Each page: who may use it (LA roles yes, provider staff their own, read-only; another
provider 404; other roles 403), and one bad input re-shown with the GOV.UK error summary."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from aptrack.organisations.tests.factories import la
from aptrack.quality.models import CheckType, ComplianceCheck, QAVisit, Standard
from aptrack.quality.selectors import frameworks as frameworks_selectors
from aptrack.quality.selectors import visits as visits_selectors
from aptrack.quality.services import compliance as compliance_services
from aptrack.quality.services import frameworks as frameworks_services
from aptrack.quality.services import visits as visits_services
from aptrack.quality.states import VisitStatus
from aptrack.quality.tests.factories import LOCAL_TEMPLATE, make_visit, national

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def _as(client, user):
    client.force_login(user)
    return client


def _date(prefix, value):
    return {
        f"{prefix}-day": str(value.day),
        f"{prefix}-month": str(value.month),
        f"{prefix}-year": str(value.year),
    }


def _assert_error_summary(response, *messages):
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body
    assert "<title>Error:" in body
    for message in messages:
        assert message in body.replace("&#39;", "'")
    # Every link in the summary leads to a field on the page.
    summary = body[
        body.index("govuk-error-summary") : body.index("</ul>", body.index("govuk-error-summary"))
    ]
    for anchor in re.findall(r'href="#([^"]+)"', summary):
        assert f'id="{anchor}"' in body, anchor


def _summary_links(response):
    body = response.content.decode()
    summary = body[
        body.index("govuk-error-summary") : body.index("</ul>", body.index("govuk-error-summary"))
    ]
    return re.findall(r'href="#([^"]+)"', summary)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def own_framework(world):
    return frameworks_services.copy_framework(
        actor=world.qa_lead_a, at=timezone.now(), la=la("838"), source=national(LOCAL_TEMPLATE)
    )


# --- dashboard -----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["officer_a", "manager_a", "qa_lead_a"])
def test_la_roles_see_the_dashboard(client, world, px, persona):
    response = _as(client, getattr(world, persona)).get(reverse("quality:dashboard"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Providers not compliant today" in body
    assert px.name in body


def test_provider_staff_are_sent_to_their_own_compliance_page(client, world, px):
    response = _as(client, world.provider_x).get(reverse("quality:dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("quality:compliance", args=[px.pk])


@pytest.mark.parametrize("persona", ["analyst", "school_y", "social_worker", "panel_member"])
def test_other_roles_cannot_see_the_dashboard(client, world, persona):
    assert _as(client, getattr(world, persona)).get(reverse("quality:dashboard")).status_code == 403


def test_signed_out_users_are_sent_to_sign_in(client):
    response = client.get(reverse("quality:dashboard"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


# --- compliance ----------------------------------------------------------------------------


def _evidence(today, **overrides):
    data = {
        "check_type": CheckType.INSURANCE.value,
        **_date("evidence_date", today - DAY),
        **_date("expiry_date", today + 365 * DAY),
    }
    data.update(overrides)
    return data


def test_la_officer_sees_any_providers_compliance_with_tags(client, world, pz):
    body = (
        _as(client, world.officer_a)
        .get(reverse("quality:compliance", args=[pz.pk]))
        .content.decode()
    )
    assert 'govuk-tag--grey">Missing' in body
    assert "Not compliant" in body
    assert "Record evidence" in body


def test_provider_staff_see_and_record_their_own_compliance(client, world, px, today):
    url = reverse("quality:compliance", args=[px.pk])
    assert _as(client, world.provider_x).get(url).status_code == 200
    response = client.post(url, _evidence(today))
    assert response.status_code == 302
    check = ComplianceCheck.objects.get(provider=px)
    assert check.recorded_by == world.provider_x
    body = client.get(url).content.decode()
    assert 'govuk-tag--green">In date' in body


def test_provider_staff_get_404_for_another_providers_compliance(client, world, px, pz, today):
    url = reverse("quality:compliance", args=[pz.pk])
    assert _as(client, world.provider_x).get(url).status_code == 404
    assert client.post(url, _evidence(today)).status_code == 404
    assert not ComplianceCheck.objects.exists()


def test_analyst_cannot_see_compliance(client, world, px):
    assert (
        _as(client, world.analyst).get(reverse("quality:compliance", args=[px.pk])).status_code
        == 403
    )


def test_missing_provider_is_404(client, world):
    assert (
        _as(client, world.officer_a).get(reverse("quality:compliance", args=[999999])).status_code
        == 404
    )


def test_bad_evidence_is_reshown_with_the_error_summary(client, world, px, today):
    response = _as(client, world.officer_a).post(
        reverse("quality:compliance", args=[px.pk]),
        _evidence(today, check_type="DSL", **{"expiry_date-month": ""}),
    )
    _assert_error_summary(response, "Expiry date must include a month")
    assert 'href="#id_expiry_date-day"' in response.content.decode()
    response = client.post(
        reverse("quality:compliance", args=[px.pk]), _evidence(today, check_type="DSL")
    )
    _assert_error_summary(response, compliance_services.NAMED_PERSON_NEEDED)
    assert 'href="#id_named_person"' in response.content.decode()
    assert not ComplianceCheck.objects.exists()


def test_expired_and_expiring_evidence_is_tagged(client, world, px, today):
    from aptrack.quality.tests.factories import add_check

    add_check(
        px,
        world.officer_a,
        CheckType.INSURANCE,
        evidence_date=today - 400 * DAY,
        expiry_date=today - DAY,
    )
    add_check(
        px,
        world.officer_a,
        CheckType.PREMISES,
        evidence_date=today - 300 * DAY,
        expiry_date=today + 10 * DAY,
    )
    body = (
        _as(client, world.officer_a)
        .get(reverse("quality:compliance", args=[px.pk]))
        .content.decode()
    )
    assert 'govuk-tag--red">Expired' in body
    assert 'govuk-tag--orange">Expiring soon' in body


# --- visits --------------------------------------------------------------------------------


def test_provider_staff_read_only_their_own_completed_visits(client, world, px, pz, today):
    completed = make_visit(px, world.qa_lead_a, visit_date=today - 10 * DAY, completed=True)
    draft = make_visit(px, world.qa_lead_a, visit_date=today - DAY)
    _as(client, world.provider_x)
    body = client.get(reverse("quality:visits", args=[px.pk])).content.decode()
    assert reverse("quality:visit", args=[completed.pk]) in body
    assert reverse("quality:visit", args=[draft.pk]) not in body
    assert "Start a visit" not in body
    page = client.get(reverse("quality:visit", args=[completed.pk]))
    assert page.status_code == 200
    assert "Save visit" not in page.content.decode()
    assert "Add action" not in page.content.decode()
    assert client.get(reverse("quality:visit", args=[draft.pk])).status_code == 404
    assert client.post(reverse("quality:visit", args=[completed.pk]), {}).status_code == 403
    assert client.get(reverse("quality:visit_new", args=[px.pk])).status_code == 403


def test_provider_staff_get_404_for_another_providers_visits(client, world, pz, today):
    completed = make_visit(pz, world.officer_b, visit_date=today - 10 * DAY, completed=True)
    _as(client, world.provider_x)
    assert client.get(reverse("quality:visits", args=[pz.pk])).status_code == 404
    assert client.get(reverse("quality:visit", args=[completed.pk])).status_code == 404


def test_analyst_cannot_see_visits(client, world, px, today):
    visit = make_visit(px, world.qa_lead_a, visit_date=today, completed=True)
    _as(client, world.analyst)
    assert client.get(reverse("quality:visits", args=[px.pk])).status_code == 403
    assert client.get(reverse("quality:visit", args=[visit.pk])).status_code == 403


def test_other_las_see_completed_visits_but_not_drafts(client, world, px, today):
    completed = make_visit(px, world.qa_lead_a, visit_date=today - 10 * DAY, completed=True)
    draft = make_visit(px, world.qa_lead_a, visit_date=today - DAY)
    _as(client, world.officer_b)
    page = client.get(reverse("quality:visit", args=[completed.pk]))
    assert page.status_code == 200
    assert "Add action" not in page.content.decode()
    assert client.get(reverse("quality:visit", args=[draft.pk])).status_code == 404


def test_starting_a_visit(client, world, px, today):
    _as(client, world.qa_lead_a)
    url = reverse("quality:visit_new", args=[px.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "framework": str(national().pk),
            "visit_type": "UNANNOUNCED",
            **_date("visit_date", today),
            "visitors": "Jo Smith",
        },
    )
    visit = QAVisit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("quality:visit", args=[visit.pk])


def test_starting_a_visit_with_bad_input_shows_the_error_summary(client, world, px):
    response = _as(client, world.officer_a).post(
        reverse("quality:visit_new", args=[px.pk]), {"visit_type": "ANNUAL_AUDIT", "visitors": ""}
    )
    _assert_error_summary(
        response,
        "Select the framework for the visit",
        "Enter who made the visit",
        "Enter the visit date",
    )
    assert not QAVisit.objects.exists()


def _record_data(visit, **overrides):
    from aptrack.quality.forms import VisitRecordForm

    data = VisitRecordForm.data_from(
        VisitRecordForm.initial_from(visit, visits_selectors.list_judgements(visit=visit))
    )
    data["version"] = str(visit.version)
    data.update(overrides)
    return data


def test_recording_a_judgement_off_the_scale_is_reshown_with_the_error_summary(
    client, world, px, today
):
    visit = make_visit(px, world.qa_lead_a, visit_date=today)
    first = visits_selectors.list_visit_standards(visit=visit)[0]
    response = _as(client, world.qa_lead_a).post(
        reverse("quality:visit", args=[visit.pk]), _record_data(visit, **{f"grade_{first.pk}": "5"})
    )
    _assert_error_summary(response, visits_services.GRADE_OFF_SCALE)
    assert any(link.endswith(f"grade_{first.pk}") for link in _summary_links(response))


def test_recording_and_completing_a_visit(client, world, px, today):
    visit = make_visit(px, world.qa_lead_a, visit_date=today)
    standards = visits_selectors.list_visit_standards(visit=visit)
    _as(client, world.qa_lead_a)
    grades = {f"grade_{s.pk}": "2" for s in standards}
    response = client.post(
        reverse("quality:visit", args=[visit.pk]),
        _record_data(visit, overall_judgement="2", child_feedback="Likes it", **grades),
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.child_feedback == "Likes it"
    response = client.post(
        reverse("quality:visit_complete", args=[visit.pk]), {"version": str(visit.version)}
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == VisitStatus.COMPLETED
    body = client.get(reverse("quality:visit", args=[visit.pk])).content.decode()
    assert "2 – Good" in body


def test_completing_an_unjudged_visit_shows_what_is_missing(client, world, px, today):
    visit = make_visit(px, world.qa_lead_a, visit_date=today)
    first = visits_selectors.list_visit_standards(visit=visit)[0]
    response = _as(client, world.qa_lead_a).post(
        reverse("quality:visit_complete", args=[visit.pk]), {"version": str(visit.version)}
    )
    _assert_error_summary(
        response, visits_services.OVERALL_NEEDED, "Select a judgement for standard 1.1"
    )
    assert any(link.endswith(f"grade_{first.pk}") for link in _summary_links(response))
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DRAFT


def test_another_las_officer_cannot_record_or_complete(client, world, px, today):
    visit = make_visit(px, world.qa_lead_a, visit_date=today, completed=True)
    _as(client, world.officer_b)
    assert client.post(reverse("quality:visit_complete", args=[visit.pk]), {}).status_code == 403
    assert client.post(reverse("quality:action_new", args=[visit.pk]), {}).status_code == 403


def test_adding_an_action_with_bad_input_shows_the_error_summary(client, world, px, today):
    visit = make_visit(px, world.qa_lead_a, visit_date=today, completed=True)
    response = _as(client, world.officer_a).post(
        reverse("quality:action_new", args=[visit.pk]),
        {"action-text": "", "action-owner_name": "Pat"},
    )
    _assert_error_summary(response, "Enter the action", "Enter the due date")
    assert 'href="#id_action-text"' in response.content.decode()


def test_adding_and_completing_an_action(client, world, px, today):
    visit = make_visit(px, world.qa_lead_a, visit_date=today, completed=True)
    _as(client, world.officer_a)
    response = client.post(
        reverse("quality:action_new", args=[visit.pk]),
        {
            "action-text": "Update the SCR",
            "action-owner_name": "Pat",
            **_date("action-due_date", today + 7 * DAY),
        },
    )
    assert response.status_code == 302
    action = visit.actions.get()
    response = client.post(
        reverse("quality:action_status", args=[visit.pk, action.pk]), {"status": "DONE"}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "DONE"


# --- frameworks ----------------------------------------------------------------------------


def test_la_officer_reads_frameworks_but_cannot_copy_or_edit(client, world, own_framework):
    _as(client, world.officer_a)
    body = client.get(reverse("quality:frameworks")).content.decode()
    assert own_framework.name in body
    assert client.get(reverse("quality:framework", args=[own_framework.pk])).status_code == 200
    assert client.get(reverse("quality:framework_copy", args=[national().pk])).status_code == 403
    assert client.get(reverse("quality:standard_new", args=[own_framework.pk])).status_code == 403


@pytest.mark.parametrize("persona", ["provider_x", "analyst"])
def test_frameworks_are_for_la_roles_only(client, world, own_framework, persona):
    _as(client, getattr(world, persona))
    assert client.get(reverse("quality:frameworks")).status_code == 403
    assert client.get(reverse("quality:framework", args=[own_framework.pk])).status_code == 403


def test_another_las_framework_is_404(client, world, own_framework):
    _as(client, world.officer_b)
    assert client.get(reverse("quality:framework", args=[own_framework.pk])).status_code == 404
    assert client.get(reverse("quality:framework_edit", args=[own_framework.pk])).status_code == 404


def test_national_frameworks_cannot_be_edited(client, world):
    _as(client, world.qa_lead_a)
    assert client.get(reverse("quality:framework_edit", args=[national().pk])).status_code == 403


def test_qa_lead_copies_then_adds_changes_and_removes_standards(client, world):
    _as(client, world.qa_lead_a)
    response = client.post(
        reverse("quality:framework_copy", args=[national(LOCAL_TEMPLATE).pk]),
        {"name": "Dorset QA framework"},
    )
    copy = frameworks_selectors.list_frameworks(la_id=la("838").pk)[-1]
    assert response["Location"] == reverse("quality:framework", args=[copy.pk])
    response = client.post(
        reverse("quality:standard_new", args=[copy.pk]),
        {"area_number": "2", "area_title": "", "code": "2.9", "text": "Fire plan known"},
    )
    assert response.status_code == 302
    added = copy.standards.get(code="2.9")
    response = client.post(
        reverse("quality:standard_edit", args=[copy.pk, added.pk]),
        {
            "area_number": "2",
            "area_title": "",
            "code": "2.9",
            "text": "Fire plan practised",
            "version": str(added.version),
        },
    )
    assert response.status_code == 302
    assert Standard.objects.get(pk=added.pk).text == "Fire plan practised"
    assert (
        client.get(reverse("quality:standard_remove", args=[copy.pk, added.pk])).status_code == 200
    )
    assert (
        client.post(reverse("quality:standard_remove", args=[copy.pk, added.pk])).status_code == 302
    )
    assert not Standard.objects.filter(pk=added.pk).exists()
    response = client.post(
        reverse("quality:framework_edit", args=[copy.pk]),
        {"name": "Dorset AP QA", "description": "", "version": str(copy.version)},
    )
    assert response.status_code == 302


def test_a_bad_standard_code_is_reshown_with_the_error_summary(client, world, own_framework):
    response = _as(client, world.qa_lead_a).post(
        reverse("quality:standard_new", args=[own_framework.pk]),
        {"area_number": "2", "area_title": "", "code": "3.1", "text": "Wrong area"},
    )
    _assert_error_summary(response, "Code must be the area number")
    assert 'href="#id_code"' in response.content.decode()


def test_copying_with_a_name_already_used_is_reshown_with_the_error_summary(
    client, world, own_framework
):
    response = _as(client, world.qa_lead_a).post(
        reverse("quality:framework_copy", args=[national().pk]), {"name": own_framework.name}
    )
    _assert_error_summary(response, "already has a framework called")


# --- report --------------------------------------------------------------------------------


def test_la_roles_see_the_quality_board_report_with_a_print_stylesheet(client, world, px, today):
    make_visit(px, world.qa_lead_a, visit_date=today, completed=True)
    body = _as(client, world.manager_a).get(reverse("quality:report")).content.decode()
    assert "Quality assurance report" in body
    assert "quality/quality.css" in body
    assert px.name in body


@pytest.mark.parametrize("persona", ["provider_x", "analyst"])
def test_other_roles_cannot_see_the_report(client, world, persona):
    assert _as(client, getattr(world, persona)).get(reverse("quality:report")).status_code == 403


def test_a_period_ending_before_it_starts_is_reshown_with_the_error_summary(client, world, today):
    response = _as(client, world.officer_a).get(
        reverse("quality:report"), {**_date("start", today), **_date("end", today - DAY)}
    )
    _assert_error_summary(response, "The end of the period must be on or after its start")
    assert "Headlines" not in response.content.decode()


def test_quality_report_downloads_as_a_pdf(client, world):
    client.force_login(world.manager_a)
    response = client.get(reverse("quality:report"), {"format": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert len(response.content) > 2000
