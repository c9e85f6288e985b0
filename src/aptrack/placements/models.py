"""Placements of a child with a provider. The referrals-and-placements issue grows this into a
plan with outcomes, reviews and exit; the foundation needs who is placed where, and by whom,
because that decides which provider may see which child."""

from django.db import models

from aptrack.placements.states import PlacementStatus


class EndReason(models.TextChoices):
    COMPLETED = "COMPLETED", "Completed as planned"
    REINTEGRATED_EARLY = "REINTEGRATED_EARLY", "Ready to move on before the planned end"
    NEEDS_CHANGED = "NEEDS_CHANGED", "Needs changed: different provision needed"
    BREAKDOWN = "BREAKDOWN", "Placement broke down"
    PROVIDER_ENDED = "PROVIDER_ENDED", "Provider could not continue"
    FAMILY_MOVED = "FAMILY_MOVED", "Family moved away"
    OTHER = "OTHER", "Other reason"


class Destination(models.TextChoices):
    """Where the child went when the placement ended (the issue's destinations list)."""

    HOME_SCHOOL = "HOME_SCHOOL", "Back to the home school"
    NEW_MAINSTREAM = "NEW_MAINSTREAM", "A new mainstream school"
    SPECIAL_SCHOOL = "SPECIAL_SCHOOL", "A special school"
    POST_16 = "POST_16", "Post-16 education or training"
    EMPLOYMENT_TRAINING = "EMPLOYMENT_TRAINING", "Employment with training"
    ANOTHER_AP = "ANOTHER_AP", "Another alternative provision placement"
    NEET = "NEET", "Not in education, employment or training (NEET)"
    MOVED_AWAY = "MOVED_AWAY", "Moved away"
    CME = "CME", "Child missing education"


class Placement(models.Model):
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="placements")
    provider = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="placements",
        limit_choices_to={"kind": "PROVIDER"},
    )
    commissioning_la = models.ForeignKey(
        "organisations.LocalAuthority",
        on_delete=models.PROTECT,
        related_name="commissioned_placements",
        null=True,
        blank=True,
    )
    commissioning_school = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="commissioned_placements",
        null=True,
        blank=True,
        limit_choices_to={"kind": "SCHOOL"},
    )
    start_date = models.DateField()
    planned_end_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    hours_per_week = models.DecimalField(max_digits=4, decimal_places=1, default=25)
    # Hours the child still spends at the home school alongside this placement: concurrent
    # provision adds up to the child's week (full-time, part-time, and the 40-hour ceiling).
    home_school_hours_per_week = models.DecimalField(max_digits=4, decimal_places=1, default=0)
    created_at = models.DateTimeField()
    # The plan (referrals-and-placements issue). Older rows made before it keep the defaults.
    referral = models.ForeignKey(
        "referrals.Referral",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placements",
    )
    site = models.ForeignKey(
        "providers.ProviderSite",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placements",
    )
    status = models.CharField(
        max_length=10, choices=PlacementStatus.choices, default=PlacementStatus.ACTIVE
    )
    tier = models.PositiveSmallIntegerField(null=True, blank=True)
    open_ended_justification = models.TextField(blank=True)
    open_ended_approved_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    maximum_end_date = models.DateField(null=True, blank=True)
    part_time_reason = models.TextField(blank=True)
    part_time_parent_agreed = models.BooleanField(default=False)
    part_time_review_date = models.DateField(null=True, blank=True)
    part_time_plan_to_full_time = models.TextField(blank=True)
    exit_plan = models.TextField(blank=True)
    readiness_criteria = models.TextField(blank=True)
    weekly_cost = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    # Why the plan's weekly cost differs from the cost the panel approved (blank when it does not).
    cost_difference_reason = models.TextField(blank=True)
    dual_registered = models.BooleanField(default=False)
    family_involvement = models.TextField(blank=True)
    compliance_override_reason = models.TextField(blank=True)
    end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)
    destination = models.CharField(max_length=20, choices=Destination.choices, blank=True)
    transition_plan = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(commissioning_la__isnull=False)
                | models.Q(commissioning_school__isnull=False),
                name="placement_has_commissioner",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="placement_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["provider", "end_date"])]

    def __str__(self) -> str:
        return f"{self.child} at {self.provider} from {self.start_date}"


class IntendedOutcome(models.Model):
    """A measurable outcome the placement is for, with its baseline and target."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="outcomes")
    description = models.CharField(max_length=300)
    measure = models.CharField(max_length=200, help_text="How progress is measured")
    baseline = models.CharField(max_length=100)
    target = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField(default=0)

    def __str__(self) -> str:
        return self.description


class PersonPassport(models.Model):
    """A one-page profile that travels with the child; the provider can see it."""

    placement = models.OneToOneField(Placement, on_delete=models.CASCADE, related_name="passport")
    about_me = models.TextField(blank=True)
    needs = models.TextField(blank=True)
    what_helps = models.TextField(blank=True)
    what_to_avoid = models.TextField(blank=True)
    contacts = models.TextField(blank=True)
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Person Passport for placement {self.placement_id}"


class ReviewKind(models.TextChoices):
    PLACEMENT_REVIEW = "REVIEW", "Placement review"
    TAC = "TAC", "Team around the child meeting"
    EHCP_ANNUAL = "EHCP_ANNUAL", "EHCP annual review"


class ReviewDecision(models.TextChoices):
    CONTINUE = "CONTINUE", "Continue"
    EXTEND = "EXTEND", "Extend"
    END = "END", "End"
    CHANGE_TIER = "CHANGE_TIER", "Change tier"


class Review(models.Model):
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="reviews")
    kind = models.CharField(
        max_length=12, choices=ReviewKind.choices, default=ReviewKind.PLACEMENT_REVIEW
    )
    held_date = models.DateField()
    attendance_percent = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    child_views = models.TextField(blank=True)
    family_views = models.TextField(blank=True)
    # Why the child's or the family's views are not recorded (blank when both are).
    views_not_obtained_reason = models.TextField(blank=True)
    decision = models.CharField(max_length=12, choices=ReviewDecision.choices)
    decision_reason = models.TextField(blank=True)
    new_planned_end_date = models.DateField(null=True, blank=True)
    new_tier = models.PositiveSmallIntegerField(null=True, blank=True)
    next_review_date = models.DateField()
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT)
    recorded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.held_date}: {self.get_decision_display()}"


class OutcomeProgress(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="progress")
    outcome = models.ForeignKey(IntendedOutcome, on_delete=models.CASCADE, related_name="progress")
    score = models.PositiveSmallIntegerField(help_text="1 no progress – 5 achieved")
    current_value = models.CharField(max_length=100, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="progress_score_1_to_5"
            ),
            models.UniqueConstraint(
                fields=["review", "outcome"], name="one_score_per_outcome_per_review"
            ),
        ]

    def __str__(self) -> str:
        return f"Outcome {self.outcome_id} scored {self.score}"


class FollowUp(models.Model):
    """Checks 6 and 12 weeks after a placement ends: still attending, destination sustained?"""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="follow_ups")
    weeks_after = models.PositiveSmallIntegerField()
    due_date = models.DateField()
    done_date = models.DateField(null=True, blank=True)
    still_attending = models.BooleanField(null=True, blank=True)
    destination_sustained = models.BooleanField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "weeks_after"], name="one_follow_up_per_interval"
            )
        ]

    def __str__(self) -> str:
        return f"{self.weeks_after}-week follow-up due {self.due_date}"


class PlacementEvent(models.Model):
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30)
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10, blank=True)
    by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True)
    at = models.DateTimeField()
    data = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"{self.kind} at {self.at:%Y-%m-%d %H:%M}"


class ServiceAgreement(models.Model):
    """The individual service agreement made when a placement starts: what was agreed (the
    provision, hours, length, cost, intended outcomes, safeguarding checks and contacts), kept
    as it stood that day. The PDF is drawn from the snapshot, so it never changes after."""

    placement = models.OneToOneField(
        Placement, on_delete=models.CASCADE, related_name="service_agreement"
    )
    snapshot = models.JSONField()
    made_at = models.DateTimeField()
    made_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"Service agreement for placement {self.placement_id}"
