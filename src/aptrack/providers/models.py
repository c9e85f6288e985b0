"""The provider register: who delivers AP, where, what they offer, and each LA's view of them."""

from django.db import models

from aptrack.providers.states import ApprovalStatus


class ProviderKind(models.TextChoices):
    PRU = "PRU", "Pupil referral unit"
    AP_ACADEMY = "AP_ACADEMY", "AP academy or free school"
    INDEPENDENT = "INDEPENDENT", "Independent school"
    INDEPENDENT_SPECIAL = "INDEPENDENT_SPECIAL", "Independent special school"
    FE_COLLEGE = "FE_COLLEGE", "Further education college"
    HOSPITAL = "HOSPITAL", "Hospital school"
    TUITION = "TUITION", "Tuition"
    VOCATIONAL = "VOCATIONAL", "Vocational training"
    THERAPEUTIC = "THERAPEUTIC", "Therapeutic"
    ONLINE = "ONLINE", "Online"
    SPORT_OUTDOOR = "SPORT_OUTDOOR", "Sport and outdoor"
    MENTORING = "MENTORING", "Mentoring"
    OTHER = "OTHER", "Other non-school provision"


REGISTERED_KINDS = frozenset(
    {
        ProviderKind.PRU,
        ProviderKind.AP_ACADEMY,
        ProviderKind.INDEPENDENT,
        ProviderKind.INDEPENDENT_SPECIAL,
        ProviderKind.FE_COLLEGE,
        ProviderKind.HOSPITAL,
    }
)
# GIAS TypeOfEstablishment codes that are state-funded AP (domain.md §6).
STATE_AP_TYPE_CODES = {
    "14": ProviderKind.PRU,
    "38": ProviderKind.AP_ACADEMY,
    "42": ProviderKind.AP_ACADEMY,
    "43": ProviderKind.AP_ACADEMY,
}


class SettingType(models.TextChoices):
    """AP census setting types, for providers with neither URN nor UKPRN."""

    NFE = "NFE", "Non-maintained further education"
    OOT = "OOT", "One-on-one tuition"
    OTH = "OTH", "Other unregistered provider"
    WBP = "WBP", "Work-based placement"


class OfstedJudgement(models.TextChoices):
    OUTSTANDING = "1", "Outstanding"
    GOOD = "2", "Good"
    REQUIRES_IMPROVEMENT = "3", "Requires improvement"
    INADEQUATE = "4", "Inadequate"


class KeyStage(models.TextChoices):
    KS1 = "KS1", "Key stage 1"
    KS2 = "KS2", "Key stage 2"
    KS3 = "KS3", "Key stage 3"
    KS4 = "KS4", "Key stage 4"
    KS5 = "KS5", "Post-16"


class Provider(models.Model):
    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="provider"
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=ProviderKind.choices)
    # Identity for the AP census: exactly one of URN (via establishment), UKPRN, setting type.
    establishment = models.OneToOneField(
        "organisations.Establishment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="provider",
    )
    ukprn = models.CharField("UKPRN", max_length=8, blank=True)
    setting_type = models.CharField(max_length=3, choices=SettingType.choices, blank=True)
    home_la = models.ForeignKey(
        "organisations.LocalAuthority",
        on_delete=models.PROTECT,
        related_name="providers",
        help_text="The LA where the provider is based",
    )
    offers_tier_1 = models.BooleanField("Tier 1: support in mainstream schools", default=False)
    offers_tier_2 = models.BooleanField("Tier 2: time-limited placements", default=False)
    offers_tier_3 = models.BooleanField("Tier 3: transitional placements", default=False)
    key_stages = models.JSONField(default=list, blank=True)
    teaches_english_and_maths = models.BooleanField(default=False)
    qualifications = models.TextField(blank=True)
    therapeutic_offer = models.TextField(blank=True)
    hours_per_week = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True)
    daily_rate = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    hourly_rate = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    ofsted_judgement = models.CharField(max_length=1, choices=OfstedJudgement.choices, blank=True)
    ofsted_date = models.DateField(null=True, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="provider_has_exactly_one_identity",
                condition=(
                    models.Q(establishment__isnull=False, ukprn="", setting_type="")
                    | models.Q(
                        establishment__isnull=True, ukprn__regex=r"^1[0-9]{7}$", setting_type=""
                    )
                    | (models.Q(establishment__isnull=True, ukprn="") & ~models.Q(setting_type=""))
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_registered(self) -> bool:
        return self.kind in REGISTERED_KINDS

    @property
    def identity(self) -> str:
        if self.establishment:
            return f"URN {self.establishment.urn}"
        if self.ukprn:
            return f"UKPRN {self.ukprn}"
        return str(self.get_setting_type_display())  # the census code stays off screen

    @property
    def tiers(self) -> list[int]:
        return [
            n
            for n, on in ((1, self.offers_tier_1), (2, self.offers_tier_2), (3, self.offers_tier_3))
            if on
        ]


class ProviderSite(models.Model):
    """A place where children are taught. Every site a pupil may attend is recorded."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(max_length=200)
    address_line_1 = models.CharField(max_length=200)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10)
    local_authority = models.ForeignKey(
        "organisations.LocalAuthority", on_delete=models.PROTECT, related_name="provider_sites"
    )
    is_active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"{self.name}, {self.postcode}"


class ProviderApproval(models.Model):
    """One LA's relationship with one provider: its current standing on the LA's framework of
    approved AP, the LA's own notes and the rates it has agreed. Only that LA changes it."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="approvals")
    local_authority = models.ForeignKey(
        "organisations.LocalAuthority", on_delete=models.PROTECT, related_name="provider_approvals"
    )
    status = models.CharField(
        max_length=20, choices=ApprovalStatus.choices, default=ApprovalStatus.NOT_ASSESSED
    )
    since_date = models.DateField(null=True, blank=True)
    review_date = models.DateField(null=True, blank=True)
    reason = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    agreed_daily_rate = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    agreed_hourly_rate = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "local_authority"], name="one_approval_per_la"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} – {self.local_authority}: {self.get_status_display()}"


class ApprovalEvent(models.Model):
    """Every change of standing: who, when, from what to what, and why."""

    approval = models.ForeignKey(ProviderApproval, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=ApprovalStatus.choices)
    to_status = models.CharField(max_length=20, choices=ApprovalStatus.choices)
    effective_date = models.DateField()
    reason = models.TextField()
    by = models.ForeignKey("accounts.User", on_delete=models.PROTECT)
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status} on {self.effective_date}"
