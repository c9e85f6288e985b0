"""Returns from non-school providers: who attended in a period, for how many hours, and where.

A return is the provider's own account for one period (a month or a half-term, say), made by
its staff or by an LA officer on its behalf (domain.md, requirement 10). Its lines feed the
registration-threshold rule (`aptrack.returns.threshold`).
"""

from django.db import models

from aptrack.returns.states import ReturnStatus, is_editable


class ProviderReturn(models.Model):
    provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, related_name="returns"
    )
    period_start_date = models.DateField()
    period_end_date = models.DateField()
    status = models.CharField(
        max_length=10, choices=ReturnStatus.choices, default=ReturnStatus.DRAFT
    )
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    submitted_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "period_start_date"], name="one_return_per_provider_period"
            ),
            models.CheckConstraint(
                condition=models.Q(period_end_date__gte=models.F("period_start_date")),
                name="return_period_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    status=ReturnStatus.DRAFT, submitted_at__isnull=True, submitted_by__isnull=True
                )
                | models.Q(
                    status=ReturnStatus.SUBMITTED,
                    submitted_at__isnull=False,
                    submitted_by__isnull=False,
                ),
                name="return_submitted_says_who_and_when",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} return, {self.period_start_date} to {self.period_end_date}"

    @property
    def is_editable(self) -> bool:
        return is_editable(self.status)


class ReturnLine(models.Model):
    """One pupil who attended in the period: a child on aptrack, or a pupil aptrack does not know.

    For a named child, age, care and EHCP come from the child's record, which the LA keeps up
    to date. For an anonymous pupil the provider states the facts the threshold rule needs.
    """

    provider_return = models.ForeignKey(
        ProviderReturn, on_delete=models.CASCADE, related_name="lines"
    )
    child = models.ForeignKey(
        "children.Child",
        on_delete=models.PROTECT,
        related_name="return_lines",
        null=True,
        blank=True,
    )
    age_years = models.PositiveSmallIntegerField(null=True, blank=True)
    compulsory_school_age = models.BooleanField(null=True, blank=True)
    looked_after = models.BooleanField(null=True, blank=True)
    has_ehcp = models.BooleanField("Has an EHCP", null=True, blank=True)
    hours_per_week = models.DecimalField(max_digits=4, decimal_places=1)
    sites = models.ManyToManyField(
        "providers.ProviderSite", related_name="return_lines", blank=True
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider_return", "child"],
                condition=models.Q(child__isnull=False),
                name="one_line_per_child_per_return",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    child__isnull=False,
                    age_years__isnull=True,
                    compulsory_school_age__isnull=True,
                    looked_after__isnull=True,
                    has_ehcp__isnull=True,
                )
                | models.Q(
                    child__isnull=True,
                    compulsory_school_age__isnull=False,
                    looked_after__isnull=False,
                    has_ehcp__isnull=False,
                ),
                name="return_line_is_named_or_anonymous",
            ),
            models.CheckConstraint(
                condition=models.Q(hours_per_week__gt=0), name="return_line_hours_positive"
            ),
        ]

    def __str__(self) -> str:
        # No name here: this label is copied into the audit trail and event data.
        kind = f"child {self.child_id}" if self.child_id else "anonymous pupil"
        return f"Return {self.provider_return_id} line: {kind}, {self.hours_per_week} hours"

    @property
    def is_anonymous(self) -> bool:
        return self.child_id is None


class ReturnEventKind(models.TextChoices):
    STARTED = "STARTED", "Return started"
    LINE_ADDED = "LINE_ADDED", "Pupil added"
    LINE_REMOVED = "LINE_REMOVED", "Pupil removed"
    SUBMITTED = "SUBMITTED", "Return submitted"


class ReturnEvent(models.Model):
    """The return's timeline: every status move and every change to its lines, append-only."""

    provider_return = models.ForeignKey(
        ProviderReturn, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=20, choices=ReturnEventKind.choices)
    from_status = models.CharField(max_length=10, choices=ReturnStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=ReturnStatus.choices)
    actor = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    # Ids and figures only (line id, child id, hours): never a name.
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["provider_return", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.from_status or '–'} → {self.to_status}"
