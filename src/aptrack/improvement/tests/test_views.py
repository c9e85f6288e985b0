import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from markupsafe import escape

from aptrack.improvement import services
from aptrack.improvement.models import Action, ActionUpdate, Priority
from aptrack.improvement.tests.factories import ActionFactory, PlanFactory, PriorityFactory
from aptrack.oversight.dashboard.charts import format_value
from aptrack.oversight.measures.build import build_dashboard
from aptrack.oversight.measures.periods import Period

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)

# persona: (plan page, edit page)
ROLE_ACCESS = {
    "officer_a": (200, 403),
    "manager_a": (200, 200),
    "qa_lead_a": (200, 403),
    "officer_b": (404, 404),  # another LA's plan
    "provider_x": (403, 403),
    "school_y": (403, 403),
    "social_worker": (403, 403),
    "virtual_school_head_a": (403, 403),
    "panel_member": (403, 403),
    "analyst": (403, 403),
}


@pytest.fixture
def action(world):
    return ActionFactory(priority__plan__created_by=world.manager_a)


@pytest.mark.parametrize("persona", ROLE_ACCESS)
def test_who_sees_and_who_edits_a_plan(client, world, action, persona):
    plan = action.priority.plan
    with time_machine.travel(NOW):
        client.force_login(getattr(world, persona))
        page = client.get(reverse("improvement:plan", args=[plan.pk]))
        edit = client.get(reverse("improvement:plan_edit", args=[plan.pk]))
        update = client.post(
            reverse("improvement:action", args=[plan.pk, action.pk]),
            {"status": "RED", "note": "Behind"},
        )
    assert (page.status_code, edit.status_code) == ROLE_ACCESS[persona]
    if ROLE_ACCESS[persona][1] != 200:
        assert update.status_code == ROLE_ACCESS[persona][1]
        assert not ActionUpdate.objects.exists()


@time_machine.travel(NOW)
def test_plan_page_shows_priorities_actions_rag_and_overdue(client, world, action):
    ActionFactory(
        priority=action.priority,
        title="Publish the sixth-day protocol",
        due_date=dt.date(2027, 3, 1),
        status="GREEN",
    )
    client.force_login(world.officer_a)
    html = client.get(reverse("improvement:plan", args=[action.priority.plan.pk])).content.decode()
    assert str(escape(action.priority.title)) in html
    assert "Agree a sixth-day offer with the PRU" in html
    assert "Sam Patel, Head of Inclusion" in html
    assert "Overdue by" not in html  # due 18 December: not yet
    assert "Green: on track" in html and "govuk-tag--green" in html
    assert "Add a priority" not in html  # officers read only


@time_machine.travel(dt.datetime(2027, 1, 4, 12, 0, tzinfo=dt.UTC))
def test_open_action_past_its_due_date_is_flagged(client, world, action):
    ActionFactory(
        priority=action.priority,
        title="Done already",
        due_date=dt.date(2026, 12, 1),
        status="COMPLETE",
    )
    client.force_login(world.qa_lead_a)
    html = client.get(reverse("improvement:plan", args=[action.priority.plan.pk])).content.decode()
    assert html.count("Overdue by 17 days") == 1  # the complete one is not overdue
    assert "1 action past the due date and not complete" in html


@time_machine.travel(NOW)
def test_linked_measures_show_their_current_value(client, world, action):
    client.force_login(world.manager_a)
    html = client.get(reverse("improvement:plan", args=[action.priority.plan.pk])).content.decode()
    today = dt.date(2026, 11, 23)
    figure = build_dashboard(
        la=world.officer_a.organisation.local_authority,
        period=Period.term_containing(today),
        today=today,
    ).figure("sixth_day_compliance")
    assert "Permanently excluded children with provision by the sixth day" in html
    assert f'{format_value(figure.value, figure.unit)}<span class="govuk-visually-hidden">' in html
    assert "Autumn term 2026" in html


@time_machine.travel(NOW)
def test_a_measure_stored_under_its_old_key_shows_as_the_measure_that_replaced_it(client, world):
    """Plans saved before `overdue_placements` became `drift` keep the old key; the plan, the
    action and the edit form read it as drift (`oversight.measures.RENAMED_MEASURES`)."""
    action = ActionFactory(
        priority__plan__created_by=world.manager_a,
        measure_keys=["overdue_placements"],
        priority__measure_keys=["overdue_placements"],
    )
    plan = action.priority.plan
    client.force_login(world.manager_a)
    today = dt.date(2026, 11, 23)
    figure = build_dashboard(
        la=world.officer_a.organisation.local_authority,
        period=Period.term_containing(today),
        today=today,
    ).figure("drift")
    html = client.get(reverse("improvement:plan", args=[plan.pk])).content.decode()
    assert str(escape(figure.label)) in html
    assert f'{format_value(figure.value, figure.unit)}<span class="govuk-visually-hidden">' in html
    page = client.get(reverse("improvement:action", args=[plan.pk, action.pk])).content.decode()
    assert str(escape(figure.label)) in page and "overdue_placements" not in page
    form = client.get(reverse("improvement:priority_edit", args=[plan.pk, action.priority.pk]))
    assert 'name="measure_keys" type="checkbox" value="drift" checked>' in form.content.decode()


@time_machine.travel(NOW)
def test_manager_builds_a_plan(client, world):
    client.force_login(world.manager_a)
    response = client.post(
        reverse("improvement:plan_new"),
        {
            "title": "AP improvement plan",
            "board": "AP Oversight Board",
            "period_start-day": "1",
            "period_start-month": "9",
            "period_start-year": "2026",
            "period_end-day": "31",
            "period_end-month": "8",
            "period_end-year": "2028",
        },
    )
    plan_url = response["Location"]
    plan_id = int(plan_url.strip("/").split("/")[-1])
    client.post(
        reverse("improvement:priority_new", args=[plan_id]),
        {"title": "Attendance", "measure_keys": ["attendance_rate", "persistent_absence"]},
    )
    priority = Priority.objects.get(plan_id=plan_id)
    assert priority.measure_keys == ["attendance_rate", "persistent_absence"]
    response = client.post(
        reverse("improvement:action_new", args=[plan_id, priority.pk]),
        {
            "title": "Daily first-day calls",
            "owner_user": str(world.officer_a.pk),
            "owner_role": "AP officer",
            "due_date-day": "31",
            "due_date-month": "1",
            "due_date-year": "2027",
            "measure_keys": ["attendance_rate"],
        },
    )
    action = Action.objects.get(priority=priority)
    assert response["Location"] == reverse("improvement:action", args=[plan_id, action.pk])
    assert action.owner_user == world.officer_a
    response = client.post(
        reverse("improvement:action", args=[plan_id, action.pk]),
        {"status": "AMBER", "note": "Two providers not yet calling"},
    )
    assert response.status_code == 302
    page = client.get(reverse("improvement:action", args=[plan_id, action.pk])).content.decode()
    assert "status changed from Not started to Amber: at risk" in page
    assert "Two providers not yet calling" in page


@time_machine.travel(NOW)
def test_forms_reshow_errors(client, world, action):
    client.force_login(world.manager_a)
    plan = action.priority.plan
    response = client.post(
        reverse("improvement:action", args=[plan.pk, action.pk]), {"status": "RED", "note": ""}
    )
    assert response.status_code == 200
    assert "Write a note" in response.content.decode()
    response = client.post(
        reverse("improvement:action_new", args=[plan.pk, action.priority.pk]),
        {"title": "No owner", "due_date-day": "1", "due_date-month": "2", "due_date-year": "2027"},
    )
    assert str(escape(services.OWNER_NEEDED)) in response.content.decode()


@time_machine.travel(NOW)
def test_another_las_priority_and_action_are_404(client, world, action):
    other_plan = PlanFactory(created_by=world.manager_a)
    other_priority = PriorityFactory(plan=other_plan)
    client.force_login(world.manager_a)
    plan = action.priority.plan
    # An action or priority of a different plan, reached through this plan's URLs.
    assert (
        client.get(
            reverse("improvement:priority_edit", args=[plan.pk, other_priority.pk])
        ).status_code
        == 404
    )
    client.force_login(world.officer_b)
    assert client.get(reverse("improvement:action", args=[plan.pk, action.pk])).status_code == 404
    assert client.get(reverse("improvement:list")).status_code == 200
