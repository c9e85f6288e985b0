"""Attendance alerts: a child placed in AP whose whereabouts are unknown at the register
cut-off, who has missed several sessions in a row, or who has fallen into persistent or severe
absence. Each alert goes to the child's LA (its AP officers and managers) and, for a
looked-after child or one on a child protection plan, is escalated to the social worker and the
virtual school head when nobody has resolved it in time. Raised by `run_attendance_checks`.
"""

from django.db import models

from aptrack.alerts.states import (
    DUTY_KINDS,
    MEASURE_KINDS,
    SESSION_KINDS,
    AlertKind,
    AlertStatus,
    EventKind,
)
from aptrack.attendance.models import Session


class Alert(models.Model):
    kind = models.CharField(max_length=20, choices=AlertKind.choices)
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="+")
    placement = models.ForeignKey(
        "placements.Placement", on_delete=models.PROTECT, related_name="attendance_alerts"
    )
    # The LA whose officers own the alert: the commissioning LA, else the child's home LA.
    local_authority = models.ForeignKey(
        "organisations.LocalAuthority", on_delete=models.PROTECT, related_name="+"
    )
    # The session the alert is about. For consecutive absence: the first absent session of
    # the run (the run is one occurrence however long it grows). For persistent and severe
    # absence: the session at whose check the child crossed the threshold.
    session_date = models.DateField()
    session = models.CharField(max_length=2, choices=Session.choices)
    # Persistent and severe absence are measured over an academic year: its first day.
    period_start_date = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=300)
    raised_at = models.DateTimeField()
    status = models.CharField(max_length=12, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    escalated_at = models.DateTimeField(null=True, blank=True)
    # Who the escalation went to, as it stood then: the child's social worker, and the LA whose
    # virtual school head looks after the child.
    escalated_to_social_worker = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    escalated_to_virtual_school = models.ForeignKey(
        "organisations.LocalAuthority",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolution_note = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            # Running the checks again for the same cut-off raises nothing new.
            models.UniqueConstraint(
                fields=["kind", "placement", "session_date", "session"],
                condition=models.Q(kind__in=sorted(SESSION_KINDS)),
                name="one_session_alert_per_occurrence",
            ),
            # A child crosses into persistent or severe absence once a year.
            models.UniqueConstraint(
                fields=["kind", "child", "period_start_date"],
                condition=models.Q(kind__in=sorted(MEASURE_KINDS)),
                name="one_measure_alert_per_child_year",
            ),
            # A statutory duty comes due for a child once a year (illness) or once per Fair
            # Access decision.
            models.UniqueConstraint(
                fields=["kind", "child", "period_start_date"],
                condition=models.Q(kind__in=sorted(DUTY_KINDS)),
                name="one_duty_alert_per_child_year",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=AlertStatus.values), name="alert_status_known"
            ),
            models.CheckConstraint(
                condition=~models.Q(status=AlertStatus.RESOLVED) | ~models.Q(resolution_note=""),
                name="resolved_alert_has_note",
            ),
        ]
        indexes = [
            models.Index(fields=["local_authority", "status", "raised_at"]),
            models.Index(fields=["child", "raised_at"]),
            models.Index(fields=["status", "escalated_at", "raised_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.session_date} {self.session}"

    @property
    def is_escalated(self) -> bool:
        return self.escalated_at is not None


class AlertEvent(models.Model):
    """One line of an alert's history: raised, escalated, acknowledged, resolved."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=EventKind.choices)
    from_status = models.CharField(max_length=12, choices=AlertStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=AlertStatus.choices, blank=True)
    by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["alert", "at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"
