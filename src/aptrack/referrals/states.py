"""A referral's states and the moves between them. Every move leaves a ReferralEvent."""

from django.db import models


class ReferralStatus(models.TextChoices):
    DRAFT = "DRAFT", "Draft"
    SUBMITTED = "SUBMITTED", "Submitted"
    ON_AGENDA = "ON_AGENDA", "On panel agenda"
    APPROVED = "APPROVED", "Approved"
    DECLINED = "DECLINED", "Declined"
    DEFERRED = "DEFERRED", "Deferred"
    WITHDRAWN = "WITHDRAWN", "Withdrawn"


S = ReferralStatus
ALLOWED_TRANSITIONS: dict[ReferralStatus, frozenset[ReferralStatus]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.SUBMITTED: frozenset({S.ON_AGENDA, S.WITHDRAWN}),
    S.ON_AGENDA: frozenset({S.APPROVED, S.DECLINED, S.DEFERRED, S.WITHDRAWN}),
    # A deferred referral goes to a later meeting, or is withdrawn.
    S.DEFERRED: frozenset({S.ON_AGENDA, S.WITHDRAWN}),
    S.APPROVED: frozenset(),
    S.DECLINED: frozenset(),
    S.WITHDRAWN: frozenset(),
}
OPEN_STATUSES = frozenset({S.DRAFT, S.SUBMITTED, S.ON_AGENDA, S.DEFERRED})
# Moves decided by a panel (with quorum), not by the caseworker.
PANEL_DECISIONS = frozenset({S.APPROVED, S.DECLINED, S.DEFERRED})


def can_move(source: ReferralStatus, target: ReferralStatus) -> bool:
    return target in ALLOWED_TRANSITIONS[source]
