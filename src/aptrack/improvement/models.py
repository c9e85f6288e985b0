"""An oversight board's AP improvement plan: priorities, actions with owners and due dates,
RAG status with its history, and the dashboard measures each aims to move."""

from django.db import models

from aptrack.improvement.states import RagStatus
from aptrack.oversight.measures.catalogue import current_measure_keys


class LinksMeasures:
    """A priority or an action: the dashboard measures it aims to move."""

    measure_keys: list[str]

    @property
    def linked_measure_keys(self) -> list[str]:
        """The stored measure keys as the dashboard now names them: a key stored before the
        dashboard renamed it reads as the new one (`oversight.measures.RENAMED_MEASURES`).
        Every reading of a plan's measures goes through here."""
        return current_measure_keys(self.measure_keys)


class ImprovementPlan(models.Model):
    local_authority = models.ForeignKey(
        "organisations.LocalAuthority", on_delete=models.PROTECT, related_name="improvement_plans"
    )
    title = models.CharField(max_length=200)
    board = models.CharField("Oversight board", max_length=200)
    period_start = models.DateField()
    period_end = models.DateField()
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="plan_period_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Priority(LinksMeasures, models.Model):
    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="priorities")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # Dashboard measure keys (aptrack.oversight.measures.catalogue.measure_catalogue), checked by the form.
    measure_keys = models.JSONField(default=list, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name_plural = "priorities"
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="one_priority_per_position"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class Action(LinksMeasures, models.Model):
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    owner_user = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="improvement_actions",
    )
    owner_name = models.CharField(max_length=120, blank=True)
    owner_role = models.CharField(max_length=120, blank=True)
    due_date = models.DateField()
    status = models.CharField(
        max_length=12, choices=RagStatus.choices, default=RagStatus.NOT_STARTED
    )
    measure_keys = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(owner_name="") | models.Q(owner_user__isnull=False),
                name="action_has_owner",
            ),
        ]
        indexes = [models.Index(fields=["priority", "due_date"])]

    def __str__(self) -> str:
        return self.title

    @property
    def owner(self) -> str:
        name = self.owner_name or (self.owner_user.get_full_name() if self.owner_user else "")
        return f"{name}, {self.owner_role}" if self.owner_role else name


class ActionUpdate(models.Model):
    """A RAG change (from_status differs from to_status) or a progress note (they match)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    from_status = models.CharField(max_length=12, choices=RagStatus.choices)
    to_status = models.CharField(max_length=12, choices=RagStatus.choices)
    note = models.TextField()
    by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status} at {self.at:%Y-%m-%d}"

    @property
    def is_status_change(self) -> bool:
        return self.from_status != self.to_status
