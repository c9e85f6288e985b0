"""Notices from schools to the home LA: a permanent exclusion or a suspension past five days
(DfE exclusion guidance: the head notifies the LA without delay, domain.md §5), and AP the
school commissions itself (*Arranging alternative provision*, 2025: schools tell the LA
whenever they commission AP, including unregistered settings, domain.md §1).

A notice is the school's message, kept as sent. What it starts lives with its owners: the
exclusion is a referral on the exclusion route (the sixth-day duty's one owner reads it,
`referrals.selectors.list_sixth_day_duties`), the school's AP is a placement commissioned by
the school (`placements.rules.la_placements_q` counts it for the home LA)."""

from django.db import models

from aptrack.referrals.models import PrimaryReason


class NoticeKind(models.TextChoices):
    PERMANENT_EXCLUSION = "PEX", "Permanent exclusion"
    SUSPENSION = "SUSPENSION", "Suspension of more than five days"
    SCHOOL_AP = "SCHOOL_AP", "Alternative provision commissioned by the school"


EXCLUSION_KINDS = frozenset({NoticeKind.PERMANENT_EXCLUSION, NoticeKind.SUSPENSION})


class ExclusionReason(models.TextChoices):
    """DfE suspension and permanent exclusion reason codes (school census, from 2024/25; as
    management information systems publish them). PD and OT are the codes before 2024/25,
    still accepted from older systems. [unverified against DfE's own code set document]"""

    PP = "PP", "Physical assault against a pupil"
    PA = "PA", "Physical assault against an adult"
    VP = "VP", "Verbal abuse or threatening behaviour against a pupil"
    VA = "VA", "Verbal abuse or threatening behaviour against an adult"
    OW = "OW", "Use or threat of use of an offensive weapon or prohibited item"
    BW = "BW", "Found to have brought a weapon or prohibited item into school"
    BU = "BU", "Bullying"
    TB = "TB", "Cyber-bullying or threatening behaviour online"
    RA = "RA", "Racist abuse, including bullying"
    LG = "LG", "Abuse against sexual orientation and gender identity, including bullying"
    DS = "DS", "Abuse relating to disability, including bullying"
    SM = "SM", "Sexual misconduct"
    SB = "SB", "Harmful sexual behaviour"
    DR = "DR", "Drug related"
    AR = "AR", "Alcohol related"
    DA = "DA", "Drug and alcohol related"
    DM = "DM", "Damage to property"
    TH = "TH", "Theft"
    LD = "LD", "Persistent disruptive behaviour: low-level disruption"
    CB = "CB", "Persistent disruptive behaviour: challenging behaviour"
    DB = "DB", "Persistent or general disruptive behaviour"
    MT = "MT", "Inappropriate use of social media or online technology"
    PH = "PH", "Wilful and repeated transgression of protective measures for public health"
    PD = "PD", "Persistent disruptive behaviour (before 2024/25)"
    OT = "OT", "Other (before 2024/25)"


class Notice(models.Model):
    kind = models.CharField(max_length=10, choices=NoticeKind.choices)
    school = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="notices_sent",
        limit_choices_to={"kind": "SCHOOL"},
    )
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="notices")
    home_la = models.ForeignKey(
        "organisations.LocalAuthority", on_delete=models.PROTECT, related_name="notices"
    )
    notified_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    notified_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    # An exclusion: its first day, DfE reason code, the governors' meeting and (a suspension)
    # its length in school days.
    first_day = models.DateField(null=True, blank=True)
    exclusion_reason = models.CharField(max_length=2, choices=ExclusionReason.choices, blank=True)
    governors_meeting_date = models.DateField(null=True, blank=True)
    suspension_days = models.PositiveSmallIntegerField(null=True, blank=True)
    referral = models.ForeignKey(
        "referrals.Referral",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notices",
        help_text="The exclusion as the LA tracks it (its route and first day)",
    )
    # The placement: for an exclusion, the AP the child was already in; for the school's AP,
    # the placement the notice made.
    placement = models.ForeignKey(
        "placements.Placement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notices",
    )
    # AP the school commissions: the provider, start, hours, reason and review date.
    provider = models.ForeignKey(
        "providers.Provider",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notices",
    )
    provider_added = models.BooleanField(
        default=False,
        help_text="The notice added the provider to the register: the LA has still to check it",
    )
    start_date = models.DateField(null=True, blank=True)
    hours_per_week = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    ap_reason = models.CharField(max_length=12, choices=PrimaryReason.choices, blank=True)
    review_date = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="exclusion_notice_has_first_day_and_reason",
                condition=~models.Q(kind__in=["PEX", "SUSPENSION"])
                | (models.Q(first_day__isnull=False) & ~models.Q(exclusion_reason="")),
            ),
            models.CheckConstraint(
                name="suspension_notice_past_five_days",
                condition=~models.Q(kind="SUSPENSION") | models.Q(suspension_days__gt=5),
            ),
            models.CheckConstraint(
                name="school_ap_notice_has_placement",
                condition=~models.Q(kind="SCHOOL_AP")
                | models.Q(placement__isnull=False, provider__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["home_la", "notified_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} notice for child {self.child_id}"
