"""The life of a QA visit and of the actions it sets, as data."""

from django.db import models


class VisitStatus(models.TextChoices):
    DRAFT = "DRAFT", "Draft"
    COMPLETED = "COMPLETED", "Completed"


# A completed visit is the LA's record of its judgement: it is not reopened.
VISIT_TRANSITIONS: dict[VisitStatus, frozenset[VisitStatus]] = {
    VisitStatus.DRAFT: frozenset({VisitStatus.COMPLETED}),
    VisitStatus.COMPLETED: frozenset(),
}


class ActionStatus(models.TextChoices):
    OPEN = "OPEN", "Open"
    DONE = "DONE", "Done"


# An action marked done in error may be reopened.
ACTION_TRANSITIONS: dict[ActionStatus, frozenset[ActionStatus]] = {
    ActionStatus.OPEN: frozenset({ActionStatus.DONE}),
    ActionStatus.DONE: frozenset({ActionStatus.OPEN}),
}


def can_move_visit(source: VisitStatus, target: VisitStatus) -> bool:
    return target in VISIT_TRANSITIONS[source]


def can_move_action(source: ActionStatus, target: ActionStatus) -> bool:
    return target in ACTION_TRANSITIONS[source]
