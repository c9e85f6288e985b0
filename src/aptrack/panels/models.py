"""Multi-agency panels (AP panel, Fair Access Panel): members, meetings, agendas, decisions."""

from django.db import models


class PanelKind(models.TextChoices):
    AP = "AP", "AP panel"
    FAIR_ACCESS = "FAP", "Fair Access Panel"


class Agency(models.TextChoices):
    LOCAL_AUTHORITY = "LA", "Local authority"
    SCHOOL = "SCHOOL", "School"
    HEALTH = "HEALTH", "Health"
    SOCIAL_CARE = "SOCIAL_CARE", "Social care"
    COLLEGE = "COLLEGE", "College"
    PARENT_CARER_FORUM = "PARENT_CARER_FORUM", "Parent carer forum"
    VIRTUAL_SCHOOL = "VIRTUAL_SCHOOL", "Virtual school"
    YOUTH_JUSTICE = "YOUTH_JUSTICE", "Youth justice"


class Panel(models.Model):
    local_authority = models.ForeignKey(
        "organisations.LocalAuthority", on_delete=models.PROTECT, related_name="panels"
    )
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=3, choices=PanelKind.choices)
    quorum = models.PositiveSmallIntegerField(
        default=3, help_text="Members present needed for a decision"
    )
    quorum_agencies = models.PositiveSmallIntegerField(
        default=2, help_text="Different agencies present needed for a decision"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="panel_quorum_is_sensible",
                condition=models.Q(
                    quorum__gte=1, quorum_agencies__gte=1, quorum_agencies__lte=models.F("quorum")
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PanelMember(models.Model):
    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="panel_memberships",
    )
    name = models.CharField(max_length=120)
    agency = models.CharField(max_length=20, choices=Agency.choices)
    is_chair = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    # A member sees the agendas of meetings held from this day on (panels.permissions).
    joined_date = models.DateField()

    def __str__(self) -> str:
        return f"{self.name} ({self.get_agency_display()})"


class MeetingStatus(models.TextChoices):
    PLANNED = "PLANNED", "Planned"
    IN_PROGRESS = "IN_PROGRESS", "In progress"
    CLOSED = "CLOSED", "Closed"


class Meeting(models.Model):
    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField()
    status = models.CharField(
        max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    location = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"{self.panel} on {self.date}"


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(PanelMember, on_delete=models.PROTECT)
    present = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="one_attendance_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member} {'present' if self.present else 'absent'} at {self.meeting}"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="agenda_items"
    )
    position = models.PositiveSmallIntegerField()
    # An item the meeting did not decide is carried forward explicitly (the referral becomes
    # DEFERRED for a later meeting); a meeting closes only when no item is left hanging.
    carried_forward_at = models.DateTimeField(null=True, blank=True)
    carried_forward_reason = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "referral"], name="referral_once_per_meeting"
            ),
            models.UniqueConstraint(
                fields=["meeting", "position"], name="one_item_per_agenda_position"
            ),
        ]

    def __str__(self) -> str:
        return f"Item {self.position} of {self.meeting}: referral {self.referral_id}"


class DecisionOutcome(models.TextChoices):
    APPROVED = "APPROVED", "Approved"
    DECLINED = "DECLINED", "Declined"
    DEFERRED = "DEFERRED", "Deferred"


class Decision(models.Model):
    agenda_item = models.OneToOneField(
        AgendaItem, on_delete=models.PROTECT, related_name="decision"
    )
    outcome = models.CharField(max_length=10, choices=DecisionOutcome.choices)
    reasons = models.TextField()
    approved_tier = models.PositiveSmallIntegerField(null=True, blank=True)
    proposed_provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, null=True, blank=True
    )
    proposed_weekly_cost = models.DecimalField(
        max_digits=9, decimal_places=2, null=True, blank=True
    )
    value_for_money_note = models.TextField(
        blank=True, help_text="Proposed cost against the alternatives considered"
    )
    members_present = models.PositiveSmallIntegerField()
    decided_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT)
    decided_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="approval_has_tier_cost_and_value_note",
                condition=~models.Q(outcome="APPROVED")
                | (
                    models.Q(approved_tier__isnull=False, proposed_weekly_cost__isnull=False)
                    & ~models.Q(value_for_money_note="")
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}: agenda item {self.agenda_item_id}"


class PanelAction(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    description = models.TextField()
    owner = models.CharField(max_length=120)
    due_date = models.DateField()
    done_date = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.description[:60]} ({self.owner}, due {self.due_date})"
