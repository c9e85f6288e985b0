"""A provider return's status and the moves between statuses (pure Python, no database)."""

from django.db import models


class ReturnStatus(models.TextChoices):
    DRAFT = "DRAFT", "Draft"
    SUBMITTED = "SUBMITTED", "Submitted"


ALLOWED_TRANSITIONS: dict[ReturnStatus, frozenset[ReturnStatus]] = {
    ReturnStatus.DRAFT: frozenset({ReturnStatus.SUBMITTED}),
    # A submitted return is the provider's declaration for the period: it is never changed.
    ReturnStatus.SUBMITTED: frozenset(),
}

# Statuses in which lines may be added or removed.
EDITABLE = frozenset({ReturnStatus.DRAFT})


def can_move(source: ReturnStatus, target: ReturnStatus) -> bool:
    return target in ALLOWED_TRANSITIONS[source]


def is_editable(status: ReturnStatus | str) -> bool:
    return status in EDITABLE
