import datetime as dt

import pytest

from aptrack.audit.models import AuditEvent
from aptrack.organisations.tests.factories import la
from aptrack.quality.models import Grade, QAVisit, VisitType
from aptrack.quality.selectors import frameworks as frameworks_selectors
from aptrack.quality.selectors import visits as visits_selectors
from aptrack.quality.services import errors as errors_services
from aptrack.quality.services import frameworks as frameworks_services
from aptrack.quality.services import visits as visits_services
from aptrack.quality.states import ActionStatus, VisitStatus
from aptrack.quality.tests.conftest import AT, ON
from aptrack.quality.tests.factories import make_visit, national

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def _start(actor, provider, **overrides):
    data = {
        "framework": national(),
        "visit_type": VisitType.ANNUAL_AUDIT,
        "visit_date": ON - DAY,
        "visitors": "Jo Smith (QA lead)",
    }
    data.update(overrides)
    return visits_services.start_visit(actor=actor, at=AT, provider=provider, **data)


def _judge_all(visit, grade=Grade.GOOD):
    return {
        s.pk: (grade, "Seen on the day") for s in visits_selectors.list_visit_standards(visit=visit)
    }


def _record(actor, visit, *, details=None, judgements=None, version=None):
    return visits_services.record_visit(
        actor=actor,
        at=AT,
        visit=visit,
        details=details or {},
        judgements=judgements or {},
        expected_version=visit.version if version is None else version,
    )


def test_starting_a_visit_makes_a_draft_for_the_visitors_la(world, px):
    visit = _start(world.qa_lead_a, px)
    assert visit.status == VisitStatus.DRAFT
    assert visit.local_authority == la("838")
    assert (
        AuditEvent.objects.filter(object_type="quality.QAVisit", object_id=str(visit.pk)).count()
        == 1
    )


def test_provider_staff_cannot_start_a_visit(world, px):
    with pytest.raises(errors_services.NotAllowed):
        _start(world.provider_x, px)


def test_a_visit_cannot_use_another_las_framework(world, px):
    hackney = frameworks_services.copy_framework(
        actor=_hackney_lead(world), at=AT, la=la("204"), source=national()
    )
    with pytest.raises(errors_services.QualityInvalid) as error:
        _start(world.officer_a, px, framework=hackney)
    assert "framework" in error.value.errors


def _hackney_lead(world):
    from aptrack.accounts.roles import Role
    from aptrack.accounts.tests.factories import UserFactory

    return UserFactory(organisation=world.officer_b.organisation, role=Role.QA_LEAD)


def test_recording_judgements_saves_them_and_bumps_the_version(world, px):
    visit = _start(world.qa_lead_a, px)
    first = visits_selectors.list_visit_standards(visit=visit)[0]
    saved = _record(
        world.qa_lead_a,
        visit,
        details={"child_feedback": "Feels safe here"},
        judgements={first.pk: (Grade.STRONG, "Single central record seen")},
    )
    assert saved.version == visit.version + 1
    assert saved.child_feedback == "Feels safe here"
    judgement = visits_selectors.list_judgements(visit=saved)[first.pk]
    assert (judgement.grade, judgement.evidence_notes) == (1, "Single central record seen")
    event = AuditEvent.objects.filter(object_type="quality.QAVisit").order_by("-pk").first()
    assert f"standard {first.code}" in event.changes


@pytest.mark.parametrize("grade", [0, 5, -1, 12])
def test_judgements_must_be_on_the_four_point_scale(world, px, grade):
    visit = _start(world.qa_lead_a, px)
    first = visits_selectors.list_visit_standards(visit=visit)[0]
    with pytest.raises(errors_services.QualityInvalid) as error:
        _record(world.qa_lead_a, visit, judgements={first.pk: (grade, "")})
    assert error.value.standard_errors == {first.pk: [visits_services.GRADE_OFF_SCALE]}
    with pytest.raises(errors_services.QualityInvalid) as error:
        _record(world.qa_lead_a, visit, details={"overall_judgement": grade})
    assert error.value.errors == {"overall_judgement": [visits_services.GRADE_OFF_SCALE]}
    assert not visits_selectors.list_judgements(visit=visit)


def test_evidence_notes_need_a_judgement(world, px):
    visit = _start(world.qa_lead_a, px)
    first = visits_selectors.list_visit_standards(visit=visit)[0]
    with pytest.raises(errors_services.QualityInvalid) as error:
        _record(world.qa_lead_a, visit, judgements={first.pk: (None, "Some notes")})
    assert first.pk in error.value.standard_errors


def test_a_judgement_on_a_standard_outside_the_framework_is_refused(world, px):
    visit = _start(world.qa_lead_a, px)
    other = national("Local QA framework").standards.first()
    with pytest.raises(errors_services.QualityInvalid):
        _record(world.qa_lead_a, visit, judgements={other.pk: (Grade.GOOD, "")})


def test_a_stale_version_is_refused(world, px):
    visit = _start(world.qa_lead_a, px)
    _record(world.qa_lead_a, visit, details={"summary": "First"})
    with pytest.raises(errors_services.ChangedElsewhere):
        _record(world.qa_lead_a, visit, details={"summary": "Second"}, version=visit.version)


def test_another_las_officer_cannot_record_the_visit(world, px):
    visit = _start(world.qa_lead_a, px)
    with pytest.raises(errors_services.NotAllowed):
        _record(world.officer_b, visit, details={"summary": "Not mine"})


# --- completion ----------------------------------------------------------------------------


def test_completing_needs_an_overall_judgement_and_every_standard_judged(world, px):
    visit = _start(world.qa_lead_a, px)
    with pytest.raises(visits_services.VisitNotCompletable) as error:
        visits_services.complete_visit(
            actor=world.qa_lead_a, at=AT, visit=visit, expected_version=visit.version
        )
    assert error.value.needs_overall is True
    assert len(error.value.unjudged) == len(
        frameworks_selectors.list_standards(framework=national())
    )
    assert visits_services.STANDARD_NOT_JUDGED.format(code="1.1") in error.value.messages
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DRAFT


def test_completing_lists_the_one_standard_left_unjudged(world, px):
    visit = _start(world.qa_lead_a, px)
    judgements = _judge_all(visit)
    left_out = visits_selectors.list_visit_standards(visit=visit)[-1]
    del judgements[left_out.pk]
    visit = _record(
        world.qa_lead_a, visit, details={"overall_judgement": Grade.GOOD}, judgements=judgements
    )
    with pytest.raises(visits_services.VisitNotCompletable) as error:
        visits_services.complete_visit(
            actor=world.qa_lead_a, at=AT, visit=visit, expected_version=visit.version
        )
    assert error.value.unjudged == [left_out]
    assert error.value.needs_overall is False


def test_a_fully_judged_visit_completes(world, px):
    visit = _start(world.qa_lead_a, px)
    visit = _record(
        world.qa_lead_a,
        visit,
        details={"overall_judgement": Grade.GOOD},
        judgements=_judge_all(visit),
    )
    done = visits_services.complete_visit(
        actor=world.qa_lead_a, at=AT, visit=visit, expected_version=visit.version
    )
    assert done.status == VisitStatus.COMPLETED
    assert (done.completed_by, done.completed_at) == (world.qa_lead_a, AT)


def test_a_visit_cannot_be_completed_before_its_date(world, px):
    visit = _start(world.qa_lead_a, px, visit_date=ON + DAY)
    visit = _record(
        world.qa_lead_a,
        visit,
        details={"overall_judgement": Grade.GOOD},
        judgements=_judge_all(visit),
    )
    with pytest.raises(visits_services.VisitNotCompletable) as error:
        visits_services.complete_visit(
            actor=world.qa_lead_a, at=AT, visit=visit, expected_version=visit.version
        )
    assert error.value.other == [visits_services.VISIT_IN_FUTURE]


def test_a_completed_visit_cannot_be_changed_or_completed_again(world, px):
    visit = make_visit(px, world.qa_lead_a, visit_date=ON - DAY, completed=True)
    with pytest.raises(visits_services.VisitNotEditable):
        _record(world.qa_lead_a, visit, details={"summary": "Changed my mind"})
    with pytest.raises(errors_services.MoveNotAllowed):
        visits_services.complete_visit(
            actor=world.qa_lead_a, at=AT, visit=visit, expected_version=visit.version
        )


def test_a_retired_standard_is_not_needed_to_complete(world, px):
    framework = frameworks_services.copy_framework(
        actor=world.qa_lead_a, at=AT, la=la("838"), source=national()
    )
    visit = _start(world.qa_lead_a, px, framework=framework)
    first, *rest = visits_selectors.list_visit_standards(visit=visit)
    visit = _record(
        world.qa_lead_a,
        visit,
        details={"overall_judgement": Grade.GOOD},
        judgements={s.pk: (Grade.GOOD, "") for s in rest},
    )
    frameworks_services.remove_standard(
        actor=world.qa_lead_a, at=AT, standard=first
    )  # never judged: deleted
    done = visits_services.complete_visit(
        actor=world.qa_lead_a, at=AT, visit=visit, expected_version=visit.version
    )
    assert done.status == VisitStatus.COMPLETED


# --- actions -------------------------------------------------------------------------------


def test_actions_are_added_done_and_reopened(world, px):
    visit = make_visit(px, world.qa_lead_a, visit_date=ON - DAY, completed=True)
    action = visits_services.add_action(
        actor=world.officer_a,
        at=AT,
        visit=visit,
        text="Update the SCR",
        owner_name="Provider manager",
        due_date=ON + 14 * DAY,
    )
    assert action.status == ActionStatus.OPEN
    done = visits_services.set_action_status(
        actor=world.officer_a, at=AT, action=action, target=ActionStatus.DONE
    )
    assert (done.status, done.done_at) == (ActionStatus.DONE, AT)
    reopened = visits_services.set_action_status(
        actor=world.officer_a, at=AT, action=done, target=ActionStatus.OPEN
    )
    assert (reopened.status, reopened.done_at) == (ActionStatus.OPEN, None)
    with pytest.raises(errors_services.MoveNotAllowed):
        visits_services.set_action_status(
            actor=world.officer_a, at=AT, action=reopened, target=ActionStatus.OPEN
        )


def test_an_action_needs_text_and_an_owner(world, px):
    visit = make_visit(px, world.qa_lead_a, visit_date=ON - DAY)
    with pytest.raises(errors_services.QualityInvalid) as error:
        visits_services.add_action(
            actor=world.officer_a, at=AT, visit=visit, text=" ", owner_name="", due_date=ON
        )
    assert set(error.value.errors) == {"text", "owner_name"}


@pytest.mark.parametrize("persona", ["officer_b", "provider_x", "analyst"])
def test_only_the_visiting_la_sets_actions(world, px, persona):
    visit = make_visit(px, world.qa_lead_a, visit_date=ON - DAY, completed=True)
    with pytest.raises(errors_services.NotAllowed):
        visits_services.add_action(
            actor=getattr(world, persona),
            at=AT,
            visit=visit,
            text="Do it",
            owner_name="Someone",
            due_date=ON,
        )


def test_qa_history_shows_completed_visits_newest_first(world, px):
    old = make_visit(px, world.qa_lead_a, visit_date=ON - 400 * DAY, completed=True, overall=3)
    new = make_visit(
        px,
        world.qa_lead_a,
        visit_date=ON - 10 * DAY,
        completed=True,
        overall=2,
        visit_type=VisitType.MONITORING,
    )
    make_visit(px, world.qa_lead_a, visit_date=ON - DAY)  # draft
    visits_services.add_action(
        actor=world.officer_a, at=AT, visit=new, text="Fix", owner_name="P", due_date=ON
    )
    history = visits_selectors.get_qa_history(provider=px)
    assert history.visits == [new, old]
    assert history.last_annual_audit_date == old.visit_date
    assert history.last_overall_judgement == Grade.GOOD
    assert history.open_actions == 1
    assert QAVisit.objects.count() == 3
