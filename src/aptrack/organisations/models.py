"""Who is who: local authorities, establishments (anything with a URN) and organisations."""

from django.db import models


class Region(models.TextChoices):
    NORTH_EAST = "NORTH_EAST", "North East"
    NORTH_WEST = "NORTH_WEST", "North West"
    YORKSHIRE = "YORKSHIRE", "Yorkshire and The Humber"
    EAST_MIDLANDS = "EAST_MIDLANDS", "East Midlands"
    WEST_MIDLANDS = "WEST_MIDLANDS", "West Midlands"
    EAST = "EAST", "East of England"
    LONDON = "LONDON", "London"
    SOUTH_EAST = "SOUTH_EAST", "South East"
    SOUTH_WEST = "SOUTH_WEST", "South West"


class LocalAuthority(models.Model):
    """An English local authority, known by its DfE 3-digit code."""

    code = models.CharField("DfE LA code", max_length=3, unique=True)
    ons_code = models.CharField("ONS code", max_length=9, unique=True)
    name = models.CharField(max_length=120)
    region = models.CharField(max_length=20, choices=Region.choices)

    class Meta:
        verbose_name_plural = "local authorities"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[0-9]{3}$"), name="la_code_is_three_digits"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Establishment(models.Model):
    """Anything with a URN in GIAS: schools, colleges, PRUs and AP academies."""

    urn = models.CharField("URN", max_length=6, unique=True)
    name = models.CharField(max_length=200)
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="establishments"
    )
    establishment_number = models.CharField(max_length=4, blank=True)
    type_code = models.CharField("GIAS type of establishment (code)", max_length=4, blank=True)
    type_name = models.CharField(max_length=120, blank=True)
    phase = models.CharField(max_length=60, blank=True)
    status = models.CharField(max_length=60, blank=True)
    postcode = models.CharField(max_length=10, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(urn__regex=r"^[0-9]{6}$"), name="urn_is_six_digits"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (URN {self.urn})"

    @property
    def laestab(self) -> str:
        return f"{self.local_authority.code}{self.establishment_number}"


class OrganisationKind(models.TextChoices):
    LOCAL_AUTHORITY = "LOCAL_AUTHORITY", "Local authority"
    PROVIDER = "PROVIDER", "Alternative provision provider"
    SCHOOL = "SCHOOL", "School"
    AGENCY = "AGENCY", "Partner agency"
    REGIONAL = "REGIONAL", "Regional or national body"


class AgencyType(models.TextChoices):
    HEALTH = "HEALTH", "Health"
    SOCIAL_CARE = "SOCIAL_CARE", "Social care"
    VIRTUAL_SCHOOL = "VIRTUAL_SCHOOL", "Virtual school"
    YOUTH_JUSTICE = "YOUTH_JUSTICE", "Youth justice"
    PARENT_CARER_FORUM = "PARENT_CARER_FORUM", "Parent carer forum"
    COLLEGE = "COLLEGE", "College"


class Organisation(models.Model):
    """The body a user works for. Every access decision starts from here."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    local_authority = models.ForeignKey(
        LocalAuthority,
        on_delete=models.PROTECT,
        related_name="organisations",
        null=True,
        blank=True,
        help_text="The LA itself for an LA; the LA an agency or school serves otherwise.",
    )
    establishment = models.ForeignKey(
        Establishment,
        on_delete=models.PROTECT,
        related_name="organisations",
        null=True,
        blank=True,
        help_text="For schools and registered providers: their GIAS record.",
    )
    agency_type = models.CharField(max_length=20, choices=AgencyType.choices, blank=True)
    region = models.CharField(max_length=20, choices=Region.choices, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="LOCAL_AUTHORITY")
                | models.Q(local_authority__isnull=False),
                name="la_organisation_has_la",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="SCHOOL") | models.Q(establishment__isnull=False),
                name="school_organisation_has_establishment",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="AGENCY") | ~models.Q(agency_type=""),
                name="agency_organisation_has_type",
            ),
            models.UniqueConstraint(
                fields=["local_authority"],
                condition=models.Q(kind="LOCAL_AUTHORITY"),
                name="one_organisation_per_la",
            ),
        ]

    def __str__(self) -> str:
        return self.name
