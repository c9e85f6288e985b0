"""A provider's standing on an LA's framework, and the moves between standings."""

from django.db import models


class ApprovalStatus(models.TextChoices):
    NOT_ASSESSED = "NOT_ASSESSED", "Not yet assessed"
    APPROVED = "APPROVED", "Approved"
    CONDITIONAL = "CONDITIONAL", "Approved with conditions"
    REFERRALS_PAUSED = "REFERRALS_PAUSED", "Referrals paused"
    NOT_APPROVED = "NOT_APPROVED", "Not approved"


ALLOWED_TRANSITIONS: dict[ApprovalStatus, frozenset[ApprovalStatus]] = {
    ApprovalStatus.NOT_ASSESSED: frozenset(
        {ApprovalStatus.APPROVED, ApprovalStatus.CONDITIONAL, ApprovalStatus.NOT_APPROVED}
    ),
    ApprovalStatus.APPROVED: frozenset(
        {ApprovalStatus.CONDITIONAL, ApprovalStatus.REFERRALS_PAUSED, ApprovalStatus.NOT_APPROVED}
    ),
    ApprovalStatus.CONDITIONAL: frozenset(
        {ApprovalStatus.APPROVED, ApprovalStatus.REFERRALS_PAUSED, ApprovalStatus.NOT_APPROVED}
    ),
    ApprovalStatus.REFERRALS_PAUSED: frozenset(
        {ApprovalStatus.APPROVED, ApprovalStatus.CONDITIONAL, ApprovalStatus.NOT_APPROVED}
    ),
    ApprovalStatus.NOT_APPROVED: frozenset({ApprovalStatus.APPROVED, ApprovalStatus.CONDITIONAL}),
}

# Standings under which the LA may make a new placement with the provider.
ACCEPTS_PLACEMENTS = frozenset({ApprovalStatus.APPROVED, ApprovalStatus.CONDITIONAL})


def can_move(source: ApprovalStatus, target: ApprovalStatus) -> bool:
    return target in ALLOWED_TRANSITIONS[source]
