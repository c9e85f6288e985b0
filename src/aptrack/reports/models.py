"""What providers send the commissioner: a half-termly report per placement (attendance from the
marks, progress against each intended outcome, the child's and family's own words), and
incidents, among them safeguarding concerns, recorded by providers and by schools for
dual-registered children. Submitted reports are not edited: a correction is a new version."""

from django.db import models


class ProviderReport(models.Model):
    placement = models.ForeignKey(
        "placements.Placement", on_delete=models.PROTECT, related_name="provider_reports"
    )
    # The half term reported on (a calendars TermPeriod's dates, kept so a later change to the
    # LA's term dates does not move a report already sent).
    half_term_name = models.CharField(max_length=40)
    academic_year = models.PositiveSmallIntegerField()
    period_start = models.DateField()
    period_end = models.DateField()
    # 1 for the first report of the half term; each correction is the next version.
    version = models.PositiveSmallIntegerField(default=1)
    correction_reason = models.TextField(blank=True)
    # Filled from the marks when the report is submitted (attendance owner's measures).
    possible_sessions = models.PositiveIntegerField(default=0)
    attended_sessions = models.PositiveIntegerField(default=0)
    attendance_percent = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    english = models.TextField()
    maths = models.TextField()
    wellbeing = models.TextField()
    incidents_summary = models.TextField(blank=True)
    child_words = models.TextField(blank=True)
    child_words_with_staff = models.BooleanField(default=False)
    family_words = models.TextField(blank=True)
    family_words_with_staff = models.BooleanField(default=False)
    next_steps = models.TextField()
    submitted_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "period_start", "version"],
                name="one_report_version_per_half_term",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="report_period_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["placement", "period_start"])]

    def __str__(self) -> str:
        return f"Report for {self.half_term_name} {self.academic_year} (version {self.version})"


class ReportProgress(models.Model):
    """Progress against one intended outcome of the placement plan."""

    report = models.ForeignKey(ProviderReport, on_delete=models.CASCADE, related_name="progress")
    outcome = models.ForeignKey(
        "placements.IntendedOutcome", on_delete=models.PROTECT, related_name="+"
    )
    score = models.PositiveSmallIntegerField(help_text="1 no progress – 5 achieved")
    note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="report_score_1_to_5"
            ),
            models.UniqueConstraint(fields=["report", "outcome"], name="one_score_per_report"),
        ]

    def __str__(self) -> str:
        return f"Outcome {self.outcome_id} scored {self.score}"


class IncidentCategory(models.TextChoices):
    SAFEGUARDING = "SAFEGUARDING", "Safeguarding concern"
    BEHAVIOUR = "BEHAVIOUR", "Behaviour"
    PHYSICAL_INTERVENTION = "RESTRAINT", "Physical intervention"
    INJURY = "INJURY", "Injury or accident"
    MISSING = "MISSING", "Left the provision without permission"
    OTHER = "OTHER", "Other"


class Incident(models.Model):
    placement = models.ForeignKey(
        "placements.Placement", on_delete=models.PROTECT, related_name="incidents"
    )
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="+")
    category = models.CharField(max_length=12, choices=IncidentCategory.choices)
    occurred_at = models.DateTimeField()
    what_happened = models.TextField()
    actions_taken = models.TextField()
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    # The provider, or the dual-registered child's school, that recorded it.
    recorded_by_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    # The alert a safeguarding concern raised in the alerts inbox.
    alert = models.ForeignKey(
        "alerts.Alert", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(category__in=IncidentCategory.values),
                name="incident_category_known",
            ),
        ]
        indexes = [models.Index(fields=["child", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.get_category_display()} on {self.occurred_at:%Y-%m-%d}"

    @property
    def is_safeguarding(self) -> bool:
        return self.category == IncidentCategory.SAFEGUARDING
