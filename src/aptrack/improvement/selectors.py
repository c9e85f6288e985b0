"""Reads of improvement plans, always within one LA."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from aptrack.accounts.models import User
from aptrack.improvement.models import Action, ActionUpdate, ImprovementPlan, Priority
from aptrack.improvement.states import OPEN_STATUSES


def list_plans(*, la_id: int) -> QuerySet[ImprovementPlan]:
    return ImprovementPlan.objects.filter(local_authority_id=la_id).order_by("-period_start", "pk")


def get_plan(*, la_id: int, plan_id: int) -> ImprovementPlan | None:
    actions = (
        Action.objects.select_related("owner_user")
        .prefetch_related(Prefetch("updates", queryset=ActionUpdate.objects.order_by("-at", "-pk")))
        .order_by("due_date", "pk")
    )
    return (
        ImprovementPlan.objects.filter(local_authority_id=la_id, pk=plan_id)
        .prefetch_related(
            Prefetch(
                "priorities",
                queryset=Priority.objects.order_by("position").prefetch_related(
                    Prefetch("actions", queryset=actions)
                ),
            )
        )
        .first()
    )


def get_priority(*, plan: ImprovementPlan, priority_id: int) -> Priority | None:
    return plan.priorities.filter(pk=priority_id).first()


def get_action(*, plan: ImprovementPlan, action_id: int) -> Action | None:
    return (
        Action.objects.filter(priority__plan=plan, pk=action_id)
        .select_related("priority", "owner_user")
        .prefetch_related(
            Prefetch(
                "updates", queryset=ActionUpdate.objects.select_related("by").order_by("-at", "-pk")
            )
        )
        .first()
    )


def possible_owners(*, la_id: int) -> QuerySet[User]:
    """People in the LA's own organisation an action can be given to."""
    return User.objects.filter(
        organisation__local_authority_id=la_id, organisation__kind="LOCAL_AUTHORITY", is_active=True
    ).order_by("last_name", "first_name")


def is_overdue(action: Action, today: dt.date) -> bool:
    return action.status in OPEN_STATUSES and action.due_date < today


@dataclass(frozen=True)
class PlanSummary:
    by_status: Counter[str]
    overdue: int
    actions: int


def summarise(plan: ImprovementPlan, today: dt.date) -> PlanSummary:
    """Counts over a plan loaded by get_plan (no further queries)."""
    actions = [a for p in plan.priorities.all() for a in p.actions.all()]
    return PlanSummary(
        by_status=Counter(a.status for a in actions),
        overdue=sum(is_overdue(a, today) for a in actions),
        actions=len(actions),
    )


def linked_measure_keys(plan: ImprovementPlan) -> set[str]:
    keys: set[str] = set()
    for priority in plan.priorities.all():
        keys.update(priority.linked_measure_keys)
        for action in priority.actions.all():
            keys.update(action.linked_measure_keys)
    return keys
