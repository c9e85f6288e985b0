"""The demo LA's synthetic improvement plan."""

import datetime as dt
import random

import pytest
from faker import Faker

from aptrack.accounts.tests.factories import UserFactory
from aptrack.improvement import selectors
from aptrack.improvement.models import ActionUpdate
from aptrack.improvement.states import RagStatus
from aptrack.organisations.tests.factories import la
from aptrack.oversight.measures.catalogue import measure_catalogue
from aptrack.synthetic import records
from aptrack.synthetic.improvement import create_improvement_plan
from aptrack.synthetic.staff import LaStaff

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)


def _plan():
    draw = records.Draw(rng=random.Random(1), fake=Faker("en_GB"), today=TODAY, tz=dt.UTC)
    staff = LaStaff(
        officers=[UserFactory(), UserFactory()],
        manager=UserFactory(),
        qa_officer=UserFactory(),
        provider_staff={},
    )
    return create_improvement_plan(draw, la=la("838"), staff=staff)


def test_demo_plan_has_priorities_actions_histories_and_known_measures():
    plan = selectors.get_plan(la_id=la("838").pk, plan_id=_plan().pk)
    summary = selectors.summarise(plan, TODAY)
    assert plan.priorities.count() == 6
    assert summary.actions == 12
    # Every colour is on show, and some actions are overdue.
    assert {
        RagStatus.GREEN,
        RagStatus.AMBER,
        RagStatus.RED,
        RagStatus.COMPLETE,
        RagStatus.NOT_STARTED,
    } <= set(summary.by_status)
    assert summary.overdue == 2
    assert selectors.linked_measure_keys(plan) <= {key for key, _ in measure_catalogue()}
    # History is in the past, in order, and ends at each action's status.
    for priority in plan.priorities.all():
        for action in priority.actions.all():
            updates = list(ActionUpdate.objects.filter(action=action).order_by("at", "pk"))
            assert all(u.at.date() < TODAY for u in updates)
            assert (updates[-1].to_status if updates else RagStatus.NOT_STARTED) == action.status
