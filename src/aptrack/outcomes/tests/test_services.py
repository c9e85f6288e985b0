"""The rules each outcomes write keeps, and the audit entry it leaves."""

import datetime as dt
from decimal import Decimal

import pytest

from aptrack.audit.models import AuditAction, AuditEvent
from aptrack.organisations.tests.factories import OrganisationFactory, la
from aptrack.outcomes import services
from aptrack.outcomes.models import AttainmentRecord, PriorAttendance, Qualification
from aptrack.outcomes.states import ALLOWED_TRANSITIONS, QualificationStatus, can_move
from aptrack.outcomes.tests.factories import PlacementFactory, QualificationFactory, ReviewFactory

pytestmark = pytest.mark.django_db

START = dt.date(2026, 9, 7)
AT = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)
TODAY = AT.date()


@pytest.fixture
def placement(world):
    return PlacementFactory(child=world.child_a, start_date=START, commissioning_la=la("838"))


def _errors(call, **kwargs):
    with pytest.raises(services.OutcomeInvalid) as caught:
        call(**kwargs)
    return caught.value.errors


def _grade(world, placement, **data):
    values = {"subject": "ENGLISH", "point": "ENTRY", "grade": 2, "assessed_date": START}
    values.update(data)
    return services.record_attainment(
        actor=world.officer_a, at=AT, placement=placement, data=values
    )


# --- attainment ----------------------------------------------------------------------------


def test_records_an_entry_grade_with_an_audit_entry(world, placement):
    record = _grade(world, placement, grade=-1)
    assert (record.grade, record.grade_label, record.recorded_by) == (
        -1,
        "Entry Level 2",
        world.officer_a,
    )
    event = AuditEvent.objects.get(
        object_type="outcomes.AttainmentRecord", object_id=str(record.pk)
    )
    assert (event.action, event.child_id) == (AuditAction.CREATED, world.child_a.pk)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"grade": 10}, "grade", services.GRADE_INVALID),
        ({"grade": -4}, "grade", services.GRADE_INVALID),
        ({"grade": ""}, "grade", services.GRADE_NEEDED),
        ({"point": "KS4_RESULT", "grade": 0}, "grade", services.KS4_GRADE_INVALID),
        ({"subject": "SCIENCE"}, "subject", services.SUBJECT_NEEDED),
        ({"point": ""}, "point", services.POINT_NEEDED),
        ({"assessed_date": None}, "assessed_date", services.DATE_NEEDED),
        ({"assessed_date": TODAY + dt.timedelta(days=1)}, "assessed_date", services.DATE_IN_FUTURE),
        (
            {"point": "REVIEW", "assessed_date": START - dt.timedelta(days=1)},
            "assessed_date",
            services.DATE_BEFORE_START.format(start="7 September 2026"),
        ),
        (
            {"assessed_date": START - dt.timedelta(days=29)},
            "assessed_date",
            services.DATE_BEFORE_ENTRY.format(days=28, start="7 September 2026"),
        ),
    ],
)
def test_attainment_refuses_invalid_input(world, placement, data, field, message):
    values = {"subject": "ENGLISH", "point": "ENTRY", "grade": 2, "assessed_date": START, **data}
    errors = _errors(
        services.record_attainment, actor=world.officer_a, at=AT, placement=placement, data=values
    )
    assert errors[field] == [message]
    assert not AttainmentRecord.objects.exists()


def test_a_ks4_result_may_be_ungraded(world, placement):
    assert _grade(world, placement, point="KS4_RESULT", grade=-3).grade_label == "U (ungraded)"


def test_one_entry_grade_per_subject_but_many_review_grades(world, placement):
    _grade(world, placement)
    _grade(world, placement, subject="MATHS")
    errors = _errors(_grade, world=world, placement=placement)
    assert errors["point"] == [
        services.ALREADY_RECORDED.format(subject="English", point="on entry")
    ]
    _grade(world, placement, point="REVIEW", assessed_date=START + dt.timedelta(weeks=6))
    _grade(world, placement, point="REVIEW", assessed_date=START + dt.timedelta(weeks=8), grade=3)
    assert AttainmentRecord.objects.filter(placement=placement).count() == 4


def test_a_review_grade_takes_the_review_date_and_must_be_this_placements_review(world, placement):
    review = ReviewFactory(placement=placement)
    record = _grade(world, placement, point="REVIEW", review=review, assessed_date=None)
    assert (record.review, record.assessed_date) == (review, review.held_date)
    other = ReviewFactory()
    errors = _errors(_grade, world=world, placement=placement, point="REVIEW", review=other)
    assert errors["review"] == [services.REVIEW_OTHER_PLACEMENT]


def test_a_review_is_ignored_for_an_entry_grade(world, placement):
    record = _grade(world, placement, review=ReviewFactory(placement=placement))
    assert record.review is None


def test_nothing_is_recorded_for_a_cancelled_placement(world):
    cancelled = PlacementFactory(child=world.child_a, status="CANCELLED", start_date=START)
    errors = _errors(_grade, world=world, placement=cancelled)
    assert errors[None] == [services.PLACEMENT_CANCELLED]


# --- qualifications ------------------------------------------------------------------------


def _qualification(world, placement, **data):
    values = {
        "title": "Functional Skills maths",
        "kind": "FUNCTIONAL_SKILLS",
        "level": "ENTRY",
        "status": "WORKING_TOWARDS",
        "started_date": START,
    }
    values.update(data)
    return services.record_qualification(
        actor=world.provider_x, at=AT, placement=placement, data=values
    )


def test_records_a_qualification_worked_towards_without_a_result(world, placement):
    qualification = _qualification(world, placement, result_date=TODAY, result="Pass")
    assert (qualification.status, qualification.result_date, qualification.result) == (
        "WORKING_TOWARDS",
        None,
        "",
    )


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"title": "  "}, "title", services.TITLE_NEEDED),
        ({"title": "x" * 201}, "title", services.TITLE_TOO_LONG),
        ({"kind": "DEGREE"}, "kind", services.KIND_NEEDED),
        ({"level": ""}, "level", services.LEVEL_NEEDED),
        ({"status": "PASSED"}, "status", services.STATUS_NEEDED),
        ({"started_date": None}, "started_date", services.STARTED_NEEDED),
        ({"started_date": TODAY + dt.timedelta(days=1)}, "started_date", services.DATE_IN_FUTURE),
        ({"status": "ACHIEVED"}, "result_date", services.RESULT_DATE_NEEDED),
        (
            {"status": "ACHIEVED", "result_date": START - dt.timedelta(days=1)},
            "result_date",
            services.RESULT_BEFORE_START,
        ),
        (
            {"status": "NOT_ACHIEVED", "result_date": TODAY + dt.timedelta(days=1)},
            "result_date",
            services.DATE_IN_FUTURE,
        ),
    ],
)
def test_qualification_refuses_invalid_input(world, placement, data, field, message):
    errors = _errors(_qualification, world=world, placement=placement, **data)
    assert errors[field] == [message]
    assert not Qualification.objects.exists()


def test_a_result_moves_a_qualification_on_and_is_audited(world, placement):
    qualification = _qualification(world, placement)
    updated = services.update_qualification_status(
        actor=world.officer_a,
        at=AT,
        qualification=qualification,
        data={"status": "ACHIEVED", "result_date": TODAY, "result": "Pass"},
        expected_version=1,
    )
    assert (updated.status, updated.result_date, updated.result) == ("ACHIEVED", TODAY, "Pass")
    event = AuditEvent.objects.get(action=AuditAction.UPDATED, object_type="outcomes.Qualification")
    assert event.changes["status"] == {"old": "WORKING_TOWARDS", "new": "ACHIEVED"}


def test_an_achieved_qualification_cannot_change(world, placement):
    achieved = QualificationFactory(placement=placement, status="ACHIEVED", result_date=TODAY)
    errors = _errors(
        services.update_qualification_status,
        actor=world.officer_a,
        at=AT,
        qualification=achieved,
        data={"status": "NOT_ACHIEVED", "result_date": TODAY},
        expected_version=1,
    )
    assert errors["status"] == [
        services.MOVE_NOT_ALLOWED.format(source="achieved", target="not achieved")
    ]


def test_qualification_moves_table():
    S = QualificationStatus
    assert can_move(S.WORKING_TOWARDS, S.ACHIEVED) and can_move(S.WORKING_TOWARDS, S.NOT_ACHIEVED)
    assert can_move(S.NOT_ACHIEVED, S.WORKING_TOWARDS)
    assert not any(can_move(S.ACHIEVED, target) for target in S)
    assert set(ALLOWED_TRANSITIONS) == set(S)


# --- wellbeing -----------------------------------------------------------------------------


def _wellbeing(world, placement, **data):
    values = {"score": 6, "recorded_date": START}
    values.update(data)
    return services.record_wellbeing(actor=world.officer_a, at=AT, placement=placement, data=values)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"score": 0}, "score", services.SCORE_INVALID),
        ({"score": 11}, "score", services.SCORE_INVALID),
        ({"score": "5.5"}, "score", services.SCORE_INVALID),
        ({"score": None}, "score", services.SCORE_NEEDED),
        ({"recorded_date": None}, "recorded_date", services.DATE_NEEDED),
        ({"recorded_date": TODAY + dt.timedelta(days=1)}, "recorded_date", services.DATE_IN_FUTURE),
    ],
)
def test_wellbeing_refuses_invalid_input(world, placement, data, field, message):
    assert _errors(_wellbeing, world=world, placement=placement, **data)[field] == [message]


def test_wellbeing_at_a_review_takes_its_date(world, placement):
    review = ReviewFactory(placement=placement)
    score = _wellbeing(world, placement, review=review, recorded_date=None, score="7")
    assert (score.score, score.recorded_date, score.review) == (7, review.held_date, review)


# --- attendance before AP ------------------------------------------------------------------


def _prior(world, placement, **data):
    values = {
        "attendance_percent": "48.5",
        "period_start_date": dt.date(2026, 4, 13),
        "period_end_date": dt.date(2026, 7, 17),
        "source": "SCHOOL_RECORD",
    }
    values.update(data)
    return services.record_prior_attendance(
        actor=world.officer_a, at=AT, placement=placement, data=values
    )


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"attendance_percent": "100.1"}, "attendance_percent", services.PERCENT_INVALID),
        ({"attendance_percent": "-1"}, "attendance_percent", services.PERCENT_INVALID),
        ({"attendance_percent": "lots"}, "attendance_percent", services.PERCENT_INVALID),
        ({"attendance_percent": ""}, "attendance_percent", services.PERCENT_NEEDED),
        ({"source": ""}, "source", services.SOURCE_NEEDED),
        ({"period_start_date": None}, "period_start_date", services.PERIOD_START_NEEDED),
        (
            {"period_end_date": START},
            "period_end_date",
            services.PERIOD_NOT_BEFORE.format(start="7 September 2026"),
        ),
        (
            {"period_start_date": dt.date(2026, 7, 18)},
            "period_end_date",
            services.PERIOD_OUT_OF_ORDER,
        ),
    ],
)
def test_prior_attendance_refuses_invalid_input(world, placement, data, field, message):
    assert _errors(_prior, world=world, placement=placement, **data)[field] == [message]


def test_prior_attendance_is_one_per_placement_and_corrections_are_audited(world, placement):
    _prior(world, placement)
    _prior(world, placement, attendance_percent="52")
    prior = PriorAttendance.objects.get(placement=placement)
    assert prior.attendance_percent == Decimal("52.0")
    event = AuditEvent.objects.get(
        action=AuditAction.UPDATED, object_type="outcomes.PriorAttendance"
    )
    assert event.changes["attendance_percent"] == {"old": "48.5", "new": "52.0"}


# --- outreach ------------------------------------------------------------------------------


def _outreach(world, **data):
    school = OrganisationFactory(
        kind="SCHOOL", establishment=world.child_a.home_school, local_authority=la("838")
    )
    values = {
        "school": school,
        "provider": None,
        "start_date": dt.date(2026, 9, 14),
        "end_date": None,
        "pupils_supported": 4,
        "hours": Decimal("20"),
        "purpose": "Year 9 behaviour support",
    }
    values.update(data)
    return services.record_outreach(actor=world.officer_a, at=AT, la=la("838"), data=values)


def test_records_outreach_for_a_school_without_a_child(world):
    outreach = _outreach(world, outcome="Two pupils kept off the exclusion list")
    event = AuditEvent.objects.get(object_type="outcomes.OutreachSupport")
    assert (outreach.pupils_supported, outreach.hours, event.child_id) == (4, Decimal("20.0"), None)


def test_outreach_refuses_another_las_school_and_bad_numbers(world):
    hackney_school = OrganisationFactory(
        kind="SCHOOL", establishment=world.child_a.home_school, local_authority=la("204")
    )
    errors = _errors(
        _outreach,
        world=world,
        school=hackney_school,
        pupils_supported=-1,
        hours="x",
        purpose="",
        provider=OrganisationFactory(kind="AGENCY", agency_type="SOCIAL_CARE"),
        end_date=dt.date(2026, 9, 1),
    )
    assert errors == {
        "school": [services.SCHOOL_NOT_IN_LA],
        "provider": [services.PROVIDER_NOT_PROVIDER],
        "end_date": [services.END_BEFORE_START],
        "pupils_supported": [services.PUPILS_INVALID],
        "hours": [services.HOURS_INVALID],
        "purpose": [services.PURPOSE_NEEDED],
    }


def test_outreach_cannot_start_in_the_future(world):
    errors = _errors(_outreach, world=world, start_date=TODAY + dt.timedelta(days=1))
    assert errors == {"start_date": [services.DATE_IN_FUTURE]}
