"""A qualification's statuses and the moves between them (pure Python)."""

from django.db import models


class QualificationStatus(models.TextChoices):
    WORKING_TOWARDS = "WORKING_TOWARDS", "Working towards"
    ACHIEVED = "ACHIEVED", "Achieved"
    NOT_ACHIEVED = "NOT_ACHIEVED", "Not achieved"


Q = QualificationStatus
ALLOWED_TRANSITIONS: dict[QualificationStatus, frozenset[QualificationStatus]] = {
    Q.WORKING_TOWARDS: frozenset({Q.ACHIEVED, Q.NOT_ACHIEVED}),
    # A resit after a fail: the child works towards it again.
    Q.NOT_ACHIEVED: frozenset({Q.WORKING_TOWARDS}),
    Q.ACHIEVED: frozenset(),
}


def can_move(source: QualificationStatus, target: QualificationStatus) -> bool:
    return target in ALLOWED_TRANSITIONS[source]
