"""An alert's states and the moves between them. Every move leaves an AlertEvent."""

from django.db import models


class AlertKind(models.TextChoices):
    WHEREABOUTS_UNKNOWN = "WHEREABOUTS_UNKNOWN", "Whereabouts unknown"
    CONSECUTIVE_ABSENCE = "CONSECUTIVE_ABSENCE", "Consecutive absent sessions"
    PERSISTENT_ABSENCE = "PERSISTENT_ABSENCE", "Persistent absence"
    SEVERE_ABSENCE = "SEVERE_ABSENCE", "Severe absence"
    # Statutory duties (docs/rules.md, "Statutory duties").
    ILLNESS_FIFTEEN_DAYS = "ILLNESS_FIFTEEN_DAYS", "15 days of illness absence (section 19)"
    FAIR_ACCESS_OVERDUE = "FAIR_ACCESS_OVERDUE", "Fair Access place not started in 20 school days"
    # Raised by whoever records the concern (a provider, a dual-registered child's school), not
    # by the checks: `services.raise_safeguarding_concern`.
    SAFEGUARDING_CONCERN = "SAFEGUARDING", "Safeguarding concern"


# Alerts about one session of one placement, and alerts about a child's absence over the
# academic year: each kind is raised once per occurrence (see the constraints on Alert).
SESSION_KINDS = frozenset({AlertKind.WHEREABOUTS_UNKNOWN, AlertKind.CONSECUTIVE_ABSENCE})
MEASURE_KINDS = frozenset({AlertKind.PERSISTENT_ABSENCE, AlertKind.SEVERE_ABSENCE})
# Alerts that a statutory duty has come due for a child, each once per period_start_date: the
# academic year for illness, the panel's decision for Fair Access.
DUTY_KINDS = frozenset({AlertKind.ILLNESS_FIFTEEN_DAYS, AlertKind.FAIR_ACCESS_OVERDUE})


class AlertStatus(models.TextChoices):
    OPEN = "OPEN", "Open"
    ACKNOWLEDGED = "ACKNOWLEDGED", "Acknowledged"
    RESOLVED = "RESOLVED", "Resolved"


S = AlertStatus
ALLOWED_TRANSITIONS: dict[AlertStatus, frozenset[AlertStatus]] = {
    # An officer who finds the child at once may resolve without acknowledging first.
    S.OPEN: frozenset({S.ACKNOWLEDGED, S.RESOLVED}),
    S.ACKNOWLEDGED: frozenset({S.RESOLVED}),
    S.RESOLVED: frozenset(),
}

UNRESOLVED_STATUSES = frozenset({S.OPEN, S.ACKNOWLEDGED})


def can_move(source: AlertStatus, target: AlertStatus) -> bool:
    return target in ALLOWED_TRANSITIONS[source]


class EventKind(models.TextChoices):
    """What an AlertEvent records."""

    RAISED = "RAISED", "Alert raised"
    ESCALATED = "ESCALATED", "Escalated"
    ACKNOWLEDGED = "ACKNOWLEDGED", "Acknowledged"
    RESOLVED = "RESOLVED", "Resolved"
