"""Referrals for alternative provision: why a child needs AP, who asks, and what the family
and the child say."""

from django.db import models

from aptrack.referrals.states import ReferralStatus


class Route(models.TextChoices):
    PERMANENT_EXCLUSION = "PEX", "Permanent exclusion"
    SUSPENSION = "SUSPENSION", "Suspension taking the pupil past 5 days"
    EHCP_NAMED = "EHCP_NAMED", "EHCP: setting named in the plan"
    EHCP_AWAITING = "EHCP_AWAITING", "EHCP: awaiting a specialist place"
    HEALTH = "HEALTH", "Health needs (section 19)"
    MANAGED_MOVE = "MANAGED_MOVE", "Managed move"
    FAIR_ACCESS = "FAIR_ACCESS", "Fair Access Protocol"
    OFF_SITE_DIRECTION = "OFF_SITE", "Off-site direction"
    EBSA = "EBSA", "Emotionally based school avoidance"
    EARLY_INTERVENTION = "EARLY_INTERVENTION", "School-commissioned early intervention"
    YOUTH_JUSTICE = "YOUTH_JUSTICE", "Youth justice"


EXCLUSION_ROUTES = frozenset({Route.PERMANENT_EXCLUSION, Route.SUSPENSION})


class PrimaryReason(models.TextChoices):
    """Why the placement is commissioned (the AP census's primary reason, not the pupil's need).
    Permanent exclusion takes precedence."""

    PERMANENT_EXCLUSION = "PEX", "Permanent exclusion"
    EHCP_NAMED = "EHCP", "Setting named in the EHCP"
    AWAITING_SPECIAL_PLACE = "AWAITING", "Awaiting a special school place"
    MEDICAL = "MEDICAL", "Medical or health needs"
    PREGNANCY = "PREGNANCY", "Pregnancy or young parent"
    BEHAVIOUR = "BEHAVIOUR", "Behaviour (without exclusion)"
    NEW_ARRIVAL = "NEW_ARRIVAL", "No school place (new arrival or awaiting a place)"
    OTHER = "OTHER", "Other reasons"


class Tier(models.IntegerChoices):
    TIER_1 = 1, "Tier 1: targeted support in a mainstream school"
    TIER_2 = 2, "Tier 2: time-limited placement with a planned return"
    TIER_3 = 3, "Tier 3: transitional placement to a new school or post-16"


class Referral(models.Model):
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="referrals")
    route = models.CharField(max_length=20, choices=Route.choices)
    first_day_of_exclusion = models.DateField(null=True, blank=True)
    primary_reason = models.CharField(max_length=12, choices=PrimaryReason.choices)
    needs_summary = models.TextField()
    referrer = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="referrals_made"
    )
    commissioning_la = models.ForeignKey(
        "organisations.LocalAuthority",
        on_delete=models.PROTECT,
        related_name="referrals",
        help_text="The LA that would commission (for a school commission: the school's LA, for oversight)",
    )
    commissioning_school = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_commissioned",
        limit_choices_to={"kind": "SCHOOL"},
    )
    family_views = models.TextField(blank=True)
    child_views = models.TextField(blank=True)
    # The thematic review found no family or child voice in decisions: a referral is submitted
    # with both views, or with the reason one of them could not be obtained.
    views_not_obtained_reason = models.TextField(blank=True)
    consent_given = models.BooleanField(default=False)
    proposed_tier = models.PositiveSmallIntegerField(choices=Tier.choices)
    estimated_weekly_cost = models.DecimalField(
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The referrer's estimate of the weekly cost of the provision proposed",
    )
    status = models.CharField(
        max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.DRAFT
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="exclusion_referral_has_first_day",
                condition=~models.Q(route__in=["PEX", "SUSPENSION"])
                | models.Q(first_day_of_exclusion__isnull=False),
            ),
            models.CheckConstraint(
                name="referral_cost_not_negative",
                condition=models.Q(estimated_weekly_cost__isnull=True)
                | models.Q(estimated_weekly_cost__gte=0),
            ),
        ]
        indexes = [models.Index(fields=["commissioning_la", "status"])]

    def __str__(self) -> str:
        return f"Referral of {self.child} ({self.get_route_display()})"


class ReferralEvent(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=12, choices=ReferralStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=ReferralStatus.choices)
    by = models.ForeignKey("accounts.User", on_delete=models.PROTECT)
    at = models.DateTimeField()
    reason = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.from_status or 'new'} → {self.to_status}"
