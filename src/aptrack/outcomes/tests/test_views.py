"""Outcomes pages: who sees and records what, the audit of each view, and the forms."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from aptrack.audit.models import AuditAction, AuditEvent
from aptrack.organisations.tests.factories import OrganisationFactory, la
from aptrack.outcomes.models import (
    AttainmentRecord,
    OutreachSupport,
    PriorAttendance,
    Qualification,
    WellbeingScore,
)
from aptrack.outcomes.tests.factories import (
    AttainmentFactory,
    FollowUpFactory,
    OutreachFactory,
    PriorAttendanceFactory,
    QualificationFactory,
    ReviewFactory,
    WellbeingFactory,
)
from aptrack.placements.models import Placement

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 11, 23, 11, 0, tzinfo=dt.UTC)
START = dt.date(2026, 9, 7)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def placement(world):
    return Placement.objects.get(child=world.child_a)


def _date(name, day):
    return {
        f"{name}-day": str(day.day),
        f"{name}-month": str(day.month),
        f"{name}-year": str(day.year),
    }


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


# Who may open a placement's outcomes page, and who may record on it.
PAGE = {
    "officer_a": 200,
    "manager_a": 200,
    "provider_x": 200,
    "school_y": 200,
    "social_worker": 200,
    "officer_b": 404,
    "provider_z": 404,
    "virtual_school_head_a": 404,
    "qa_lead_a": 403,
    "panel_member": 403,
    "analyst": 403,
}
RECORD = {**PAGE, "school_y": 403, "social_worker": 403}


@pytest.mark.parametrize(("persona", "status"), PAGE.items())
def test_outcomes_page_is_seen_only_in_scope(client, world, placement, persona, status):
    response = _get(
        client, world.personas()[persona], reverse("outcomes:placement", args=[placement.pk])
    )
    assert response.status_code == status


@pytest.mark.parametrize(("persona", "status"), RECORD.items())
def test_only_the_commissioner_and_the_provider_record_outcomes(
    client, world, placement, persona, status
):
    response = _get(
        client, world.personas()[persona], reverse("outcomes:attainment_new", args=[placement.pk])
    )
    assert response.status_code == status


def test_other_las_officer_cannot_post_a_grade(client, world, placement):
    client.force_login(world.officer_b)
    response = client.post(
        reverse("outcomes:attainment_new", args=[placement.pk]),
        {"subject": "ENGLISH", "point": "ENTRY", "grade": "2", **_date("assessed_date", START)},
    )
    assert response.status_code == 404
    assert not AttainmentRecord.objects.exists()


def test_viewing_the_page_is_audited(client, world, placement):
    _get(client, world.officer_a, reverse("outcomes:placement", args=[placement.pk]))
    event = AuditEvent.objects.get(action=AuditAction.VIEWED)
    assert (event.child_id, event.actor, event.where) == (
        world.child_a.pk,
        world.officer_a,
        reverse("outcomes:placement", args=[placement.pk]),
    )


def test_page_shows_attendance_grades_qualifications_wellbeing_and_follow_ups(
    client, world, placement
):
    Placement.objects.filter(pk=placement.pk).update(
        status="ENDED",
        end_date=dt.date(2026, 10, 2),
        destination="HOME_SCHOOL",
        end_reason="COMPLETED",
    )
    PriorAttendanceFactory(placement=placement, attendance_percent=Decimal("41.0"))
    ReviewFactory(
        placement=placement, attendance_percent=Decimal("63.5"), held_date=dt.date(2026, 9, 30)
    )
    AttainmentFactory(placement=placement, grade=-1)
    AttainmentFactory(
        placement=placement, point="REVIEW", grade=1, assessed_date=dt.date(2026, 9, 30)
    )
    AttainmentFactory(placement=placement, subject="MATHS", point="KS4_RESULT", grade=-3)
    QualificationFactory(placement=placement, title="Entry Level Certificate in Science")
    WellbeingFactory(placement=placement, score=3, note="Anxious about the new building")
    FollowUpFactory(
        placement=placement,
        weeks_after=6,
        done_date=dt.date(2026, 11, 13),
        still_attending=True,
        destination_sustained=True,
    )
    body = _get(
        client, world.officer_a, reverse("outcomes:placement", args=[placement.pk])
    ).content.decode()
    for text in (
        "41.0%",
        "63.5%",
        "recorded at the latest review",
        "Up 22.5 percentage points",
        "Entry Level 2",
        "GCSE grade 1",
        "English since entry: up 2 steps",
        "U (ungraded)",
        "Entry Level Certificate in Science",
        "3 out of 10",
        "Anxious about the new building",
        "Back to the home school",
        "Destination sustained",
        "13 November 2026",
    ):
        assert text in body, text
    provider_body = _get(
        client, world.provider_x, reverse("outcomes:placement", args=[placement.pk])
    ).content.decode()
    assert "Back to the home school" in provider_body
    assert "Follow-ups after the placement ended" not in provider_body


def test_officer_records_a_grade_at_a_review(client, world, placement):
    review = ReviewFactory(placement=placement, held_date=dt.date(2026, 10, 19))
    client.force_login(world.officer_a)
    url = reverse("outcomes:attainment_new", args=[placement.pk])
    assert "Placement review on 19 October 2026" in client.get(url).content.decode()
    response = client.post(
        url, {"subject": "MATHS", "point": "REVIEW", "review": str(review.pk), "grade": "0"}
    )
    assert response.status_code == 302
    record = AttainmentRecord.objects.get()
    assert (record.subject, record.grade, record.review, record.assessed_date) == (
        "MATHS",
        0,
        review,
        review.held_date,
    )


def test_provider_records_a_grade_but_is_not_offered_reviews(client, world, placement):
    ReviewFactory(placement=placement, held_date=dt.date(2026, 10, 19))
    client.force_login(world.provider_x)
    url = reverse("outcomes:attainment_new", args=[placement.pk])
    assert "Placement review on" not in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "subject": "ENGLISH",
            "point": "REVIEW",
            "grade": "2",
            **_date("assessed_date", dt.date(2026, 11, 2)),
        },
    )
    assert response.status_code == 302
    assert AttainmentRecord.objects.get().recorded_by == world.provider_x


def test_an_invalid_ks4_result_reshows_the_form_with_the_error(client, world, placement):
    client.force_login(world.officer_a)
    response = client.post(
        reverse("outcomes:attainment_new", args=[placement.pk]),
        {
            "subject": "ENGLISH",
            "point": "KS4_RESULT",
            "grade": "0",
            **_date("assessed_date", dt.date(2026, 8, 20)),
        },
    )
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body
    assert "A KS4 result is a GCSE grade from 9 to 1, or U" in body
    assert not AttainmentRecord.objects.exists()


def test_a_grade_in_the_future_is_refused(client, world, placement):
    client.force_login(world.officer_a)
    response = client.post(
        reverse("outcomes:attainment_new", args=[placement.pk]),
        {
            "subject": "ENGLISH",
            "point": "ENTRY",
            "grade": "2",
            **_date("assessed_date", dt.date(2026, 11, 24)),
        },
    )
    assert "The date must be today or in the past" in response.content.decode()


def test_qualification_added_then_its_result_recorded(client, world, placement):
    client.force_login(world.provider_x)
    response = client.post(
        reverse("outcomes:qualification_new", args=[placement.pk]),
        {
            "title": "Functional Skills English Entry Level 3",
            "kind": "FUNCTIONAL_SKILLS",
            "level": "ENTRY",
            "status": "WORKING_TOWARDS",
            **_date("started_date", START),
        },
    )
    assert response.status_code == 302
    qualification = Qualification.objects.get()
    url = reverse("outcomes:qualification_result", args=[placement.pk, qualification.pk])
    response = client.post(
        url,
        {
            "status": "ACHIEVED",
            **_date("result_date", dt.date(2026, 11, 20)),
            "result": "Pass",
            "version": "1",
        },
    )
    assert response.status_code == 302
    qualification.refresh_from_db()
    assert (qualification.status, qualification.result) == ("ACHIEVED", "Pass")


def test_result_of_another_placements_qualification_is_missing(client, world, placement):
    other = QualificationFactory()
    client.force_login(world.officer_a)
    response = client.get(reverse("outcomes:qualification_result", args=[placement.pk, other.pk]))
    assert response.status_code == 404


def test_wellbeing_and_prior_attendance_forms(client, world, placement):
    client.force_login(world.officer_a)
    response = client.post(
        reverse("outcomes:wellbeing_new", args=[placement.pk]),
        {"score": "6", **_date("recorded_date", dt.date(2026, 11, 2)), "note": "Settled"},
    )
    assert response.status_code == 302
    assert WellbeingScore.objects.get().score == 6
    url = reverse("outcomes:prior_attendance", args=[placement.pk])
    data = {
        "attendance_percent": "38.5",
        **_date("period_start_date", dt.date(2026, 4, 13)),
        **_date("period_end_date", dt.date(2026, 7, 17)),
        "source": "CTF",
    }
    assert client.post(url, data).status_code == 302
    assert PriorAttendance.objects.get().attendance_percent == Decimal("38.5")
    assert 'value="38.5"' in client.get(url).content.decode()
    response = client.post(url, {**data, **_date("period_end_date", dt.date(2026, 9, 8))})
    assert "The period must end before the placement started" in response.content.decode()


# --- outreach ------------------------------------------------------------------------------

OUTREACH = {
    "officer_a": 200,
    "manager_a": 200,
    "officer_b": 200,
    "provider_x": 403,
    "school_y": 403,
    "qa_lead_a": 403,
    "analyst": 403,
    "social_worker": 403,
}


@pytest.mark.parametrize(("persona", "status"), OUTREACH.items())
def test_outreach_pages_are_for_la_officers(client, world, persona, status):
    assert (
        _get(client, world.personas()[persona], reverse("outcomes:outreach")).status_code == status
    )
    assert (
        _get(client, world.personas()[persona], reverse("outcomes:outreach_new")).status_code
        == status
    )


def test_officer_records_outreach_and_only_their_la_sees_it(client, world):
    school = OrganisationFactory(
        name="Sandford Academy",
        kind="SCHOOL",
        establishment=world.child_a.home_school,
        local_authority=la("838"),
    )
    provider = OrganisationFactory(name="Harbour PRU", kind="PROVIDER", local_authority=la("838"))
    client.force_login(world.officer_a)
    response = client.post(
        reverse("outcomes:outreach_new"),
        {
            "school": str(school.pk),
            "provider": str(provider.pk),
            **_date("start_date", dt.date(2026, 9, 14)),
            "pupils_supported": "5",
            "hours": "30",
            "purpose": "Nurture group for Year 7",
        },
    )
    assert response.status_code == 302
    assert OutreachSupport.objects.get().local_authority == la("838")
    body = client.get(reverse("outcomes:outreach")).content.decode()
    assert (
        "Sandford Academy" in body and "Nurture group for Year 7" in body and "Harbour PRU" in body
    )
    other = _get(client, world.officer_b, reverse("outcomes:outreach")).content.decode()
    assert "Sandford Academy" not in other


def test_outreach_form_offers_only_the_las_schools(client, world):
    OrganisationFactory(
        name="Hackney Downs School",
        kind="SCHOOL",
        establishment=world.child_a.home_school,
        local_authority=la("204"),
    )
    body = _get(client, world.officer_a, reverse("outcomes:outreach_new")).content.decode()
    assert "School Y" in body and "Hackney Downs School" not in body


def test_outreach_list_summarises_this_academic_year(client, world):
    school = OrganisationFactory(
        kind="SCHOOL", establishment=world.child_a.home_school, local_authority=la("838")
    )
    OutreachFactory(
        local_authority=la("838"), school=school, pupils_supported=3, hours=Decimal("12")
    )
    OutreachFactory(
        local_authority=la("838"),
        school=school,
        pupils_supported=2,
        hours=Decimal("6.5"),
        start_date=dt.date(2026, 10, 5),
    )
    OutreachFactory(
        local_authority=la("838"),
        school=school,
        pupils_supported=9,
        start_date=dt.date(2025, 1, 6),
        end_date=dt.date(2025, 3, 28),
    )
    body = _get(client, world.officer_a, reverse("outcomes:outreach")).content.decode()
    assert "18.5" in body and "The LA’s own outreach team" in body
