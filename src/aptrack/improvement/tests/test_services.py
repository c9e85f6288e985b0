import datetime as dt

import pytest

from aptrack.accounts.tests.factories import UserFactory
from aptrack.audit.models import AuditAction, AuditEvent
from aptrack.improvement import services
from aptrack.improvement.models import ActionUpdate
from aptrack.improvement.states import RagStatus
from aptrack.improvement.tests.factories import ActionFactory, PlanFactory, PriorityFactory
from aptrack.organisations.tests.factories import la

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def manager():
    return UserFactory()


def test_plan_period_must_end_after_it_starts(manager):
    data = {
        "title": "Plan",
        "board": "Board",
        "period_start": dt.date(2027, 9, 1),
        "period_end": dt.date(2026, 9, 1),
    }
    with pytest.raises(services.ImprovementInvalid) as error:
        services.create_plan(la=la("838"), data=data, actor=manager, at=AT)
    assert error.value.errors == {"period_end": [services.PERIOD_ENDS_BEFORE_START]}


def test_create_plan_is_audited(manager):
    data = {
        "title": "Plan",
        "board": "Board",
        "period_start": dt.date(2026, 9, 1),
        "period_end": dt.date(2028, 8, 31),
    }
    plan = services.create_plan(la=la("838"), data=data, actor=manager, at=AT)
    assert (
        AuditEvent.objects.get(
            object_type="improvement.ImprovementPlan", object_id=str(plan.pk)
        ).actor
        == manager
    )


def test_priorities_are_numbered_in_order_and_link_known_measures(manager):
    plan = PlanFactory(created_by=manager)
    first = services.add_priority(
        plan=plan, data={"title": "A", "measure_keys": ["attendance_rate"]}, actor=manager, at=AT
    )
    second = services.add_priority(plan=plan, data={"title": "B"}, actor=manager, at=AT)
    assert (first.position, second.position) == (1, 2)
    assert first.measure_keys == ["attendance_rate"]


def test_unknown_measure_is_refused(manager):
    plan = PlanFactory(created_by=manager)
    with pytest.raises(services.ImprovementInvalid) as error:
        services.add_priority(
            plan=plan, data={"title": "A", "measure_keys": ["made_up"]}, actor=manager, at=AT
        )
    assert error.value.errors == {"measure_keys": [services.UNKNOWN_MEASURE.format(key="made_up")]}


def test_a_measure_key_the_dashboard_renamed_is_saved_as_its_new_key(manager):
    plan = PlanFactory(created_by=manager)
    priority = services.add_priority(
        plan=plan,
        data={"title": "A", "measure_keys": ["overdue_placements", "drift", "attendance_rate"]},
        actor=manager,
        at=AT,
    )
    assert priority.measure_keys == ["drift", "attendance_rate"]


def test_action_needs_an_owner(manager):
    priority = PriorityFactory(plan=PlanFactory(created_by=manager))
    data = {
        "title": "Do it",
        "due_date": dt.date(2027, 3, 31),
        "owner_name": "",
        "owner_user": None,
    }
    with pytest.raises(services.ImprovementInvalid) as error:
        services.add_action(priority=priority, data=data, actor=manager, at=AT)
    assert error.value.errors == {"owner_name": [services.OWNER_NEEDED]}
    action = services.add_action(
        priority=priority, data={**data, "owner_user": manager}, actor=manager, at=AT
    )
    assert action.owner_user == manager and action.status == RagStatus.NOT_STARTED


def test_changing_an_action_someone_else_changed_is_refused(manager):
    action = ActionFactory(priority__plan__created_by=manager)
    data = {"title": "New", "due_date": dt.date(2027, 1, 31), "owner_name": "Jo"}
    services.update_action(action=action, data=data, actor=manager, at=AT, expected_version=1)
    with pytest.raises(services.ImprovementChangedElsewhere):
        services.update_action(action=action, data=data, actor=manager, at=AT, expected_version=1)


def test_rag_change_with_note_leaves_history_and_audit(manager):
    action = ActionFactory(priority__plan__created_by=manager)
    services.record_update(
        action=action, status="AMBER", note="PRU short of staff", actor=manager, at=AT
    )
    services.record_update(
        action=action,
        status="AMBER",
        note="Recruitment under way",
        actor=manager,
        at=AT + dt.timedelta(days=7),
    )
    action.refresh_from_db()
    assert action.status == RagStatus.AMBER
    updates = list(ActionUpdate.objects.filter(action=action).order_by("at"))
    assert [(u.from_status, u.to_status, u.is_status_change) for u in updates] == [
        ("NOT_STARTED", "AMBER", True),
        ("AMBER", "AMBER", False),
    ]
    events = AuditEvent.objects.filter(object_type="improvement.Action", action=AuditAction.UPDATED)
    assert events.count() == 2
    assert events.order_by("at").first().changes["status"] == {"from": "NOT_STARTED", "to": "AMBER"}


def test_update_needs_a_note_and_an_allowed_move(manager):
    action = ActionFactory(priority__plan__created_by=manager, status="GREEN")
    with pytest.raises(services.ImprovementInvalid) as error:
        services.record_update(action=action, status="RED", note="  ", actor=manager, at=AT)
    assert error.value.errors == {"note": [services.NOTE_NEEDED]}
    with pytest.raises(services.ImprovementInvalid) as error:
        services.record_update(
            action=action, status="NOT_STARTED", note="Reset", actor=manager, at=AT
        )
    assert "status" in error.value.errors
    assert not ActionUpdate.objects.exists()
