"""Quality assurance of providers: the living compliance register, QA frameworks and visits."""

from django.db import models

from aptrack.quality.states import ActionStatus, VisitStatus

# --- compliance register -----------------------------------------------------------------


class CheckType(models.TextChoices):
    """The evidence every provider must hold in date (domain.md §1 and §2)."""

    STAFF_VETTING = (
        "STAFF_VETTING",
        "Staff vetting: written confirmation of enhanced DBS checks on a single central record",
    )
    DSL = "DSL", "Named designated safeguarding lead"
    SAFEGUARDING_POLICY = "SAFEGUARDING_POLICY", "Safeguarding and child protection policy"
    BEHAVIOUR_POLICY = "BEHAVIOUR_POLICY", "Behaviour policy"
    INSURANCE = "INSURANCE", "Insurance"
    HEALTH_SAFETY_RISK = "HEALTH_SAFETY_RISK", "Health and safety risk assessment"
    FIRE_RISK = "FIRE_RISK", "Fire risk assessment"
    PREMISES = "PREMISES", "Premises condition"
    KCSIE_TRAINING = "KCSIE_TRAINING", "Keeping children safe in education (KCSIE) training"


# Every type is required of every provider, registered or not: an LA commissioning a place
# holds this evidence whatever the provider's status.
REQUIRED_CHECK_TYPES: tuple[CheckType, ...] = tuple(CheckType)
# Types whose evidence is a person, whose name must be recorded.
NAMED_PERSON_CHECK_TYPES = frozenset({CheckType.DSL})


class ComplianceCheck(models.Model):
    """One piece of evidence for one check. New evidence supersedes the current one, which
    stays as history."""

    provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, related_name="compliance_checks"
    )
    check_type = models.CharField(max_length=24, choices=CheckType.choices)
    evidence_date = models.DateField(help_text="The date of the evidence")
    expiry_date = models.DateField(help_text="When the evidence must be renewed")
    named_person = models.CharField(max_length=200, blank=True)
    evidence_reference = models.CharField(max_length=300, blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    superseded_at = models.DateTimeField(null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="supersedes"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "check_type"],
                condition=models.Q(superseded_at__isnull=True),
                name="one_current_check_per_type",
            ),
            models.CheckConstraint(
                condition=models.Q(expiry_date__gt=models.F("evidence_date")),
                name="check_expires_after_evidence",
            ),
        ]
        indexes = [models.Index(fields=["provider", "check_type", "superseded_at"])]

    def __str__(self) -> str:
        return f"{self.provider}: {self.get_check_type_display()} to {self.expiry_date}"

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None


class ComplianceOverride(models.Model):
    """An LA manager's recorded decision to go ahead with a provider that is not compliant."""

    provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, related_name="compliance_overrides"
    )
    local_authority = models.ForeignKey(
        "organisations.LocalAuthority", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField()
    # What was missing or expired when the override was made, for the record.
    gaps = models.JSONField(default=dict)
    by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="override_has_reason"),
        ]

    def __str__(self) -> str:
        return f"Override for {self.provider} by {self.by} at {self.at:%Y-%m-%d}"


# --- QA frameworks -------------------------------------------------------------------------


class Framework(models.Model):
    """A set of standards providers are judged against. No owner means national: read-only,
    and a template any LA may copy into its own, editable framework."""

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner_la = models.ForeignKey(
        "organisations.LocalAuthority",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="qa_frameworks",
    )
    based_on = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner_la", "name"], name="framework_name_unique_per_la"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_national(self) -> bool:
        return self.owner_la_id is None


class Standard(models.Model):
    """One standard (sub-standard) in an area of a framework, such as 1.1."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="standards")
    area_number = models.PositiveSmallIntegerField()
    area_title = models.CharField(max_length=200)
    code = models.CharField(max_length=10)
    text = models.TextField()
    order = models.PositiveIntegerField(default=0)
    # A standard already judged on a visit is retired, not deleted, so the visit keeps it.
    retired_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"],
                condition=models.Q(retired_at__isnull=True),
                name="standard_code_unique_in_framework",
            ),
            models.CheckConstraint(
                condition=models.Q(area_number__gte=1), name="area_number_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:60]}"


# --- QA visits -----------------------------------------------------------------------------


class VisitType(models.TextChoices):
    ANNUAL_AUDIT = "ANNUAL_AUDIT", "Annual audit"
    MONITORING = "MONITORING", "Monitoring visit"
    UNANNOUNCED = "UNANNOUNCED", "Unannounced visit"


class Grade(models.IntegerChoices):
    """The 4-point scale for a standard and for a visit overall (1 is best)."""

    STRONG = 1, "1 – Outstanding or strong"
    GOOD = 2, "2 – Good"
    REQUIRES_IMPROVEMENT = 3, "3 – Requires improvement"
    INADEQUATE = 4, "4 – Inadequate"


GRADE_RANGE = models.Q(grade__gte=1, grade__lte=4)


class QAVisit(models.Model):
    provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, related_name="qa_visits"
    )
    local_authority = models.ForeignKey(
        "organisations.LocalAuthority",
        on_delete=models.PROTECT,
        related_name="qa_visits",
        help_text="The LA that made the visit",
    )
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="visits")
    visit_type = models.CharField(max_length=20, choices=VisitType.choices)
    visit_date = models.DateField()
    visitors = models.TextField()
    child_feedback = models.TextField(blank=True)
    family_feedback = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    overall_judgement = models.PositiveSmallIntegerField(
        choices=Grade.choices, null=True, blank=True
    )
    revisit_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=VisitStatus.choices, default=VisitStatus.DRAFT)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    completed_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(overall_judgement__isnull=True)
                | models.Q(overall_judgement__gte=1, overall_judgement__lte=4),
                name="visit_overall_on_scale",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="COMPLETED")
                | models.Q(overall_judgement__isnull=False, completed_at__isnull=False),
                name="completed_visit_has_judgement",
            ),
        ]
        indexes = [models.Index(fields=["provider", "status", "visit_date"])]

    def __str__(self) -> str:
        return f"{self.get_visit_type_display()} of {self.provider} on {self.visit_date}"

    @property
    def is_completed(self) -> bool:
        return self.status == VisitStatus.COMPLETED


class StandardJudgement(models.Model):
    visit = models.ForeignKey(QAVisit, on_delete=models.CASCADE, related_name="judgements")
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="judgements")
    grade = models.PositiveSmallIntegerField(choices=Grade.choices)
    evidence_notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "standard"], name="one_judgement_per_standard"
            ),
            models.CheckConstraint(condition=GRADE_RANGE, name="judgement_grade_on_scale"),
        ]

    def __str__(self) -> str:
        return f"{self.standard.code}: {self.get_grade_display()}"


class VisitAction(models.Model):
    """Something the provider (or the LA) must do after a visit, by a date."""

    visit = models.ForeignKey(QAVisit, on_delete=models.CASCADE, related_name="actions")
    text = models.TextField()
    owner_name = models.CharField(max_length=200)
    due_date = models.DateField()
    status = models.CharField(
        max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="OPEN", done_at__isnull=True)
                | models.Q(status="DONE", done_at__isnull=False),
                name="done_action_has_done_at",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        return f"{self.text[:60]} ({self.owner_name}, by {self.due_date})"
