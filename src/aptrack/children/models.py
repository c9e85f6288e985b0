"""The children register: one record per child, whatever provision they are in."""

import datetime as dt

from django.db import models

from aptrack.children import schooling


class Sex(models.TextChoices):
    FEMALE = "F", "Female"
    MALE = "M", "Male"
    NOT_KNOWN = "U", "Not known"


class Ethnicity(models.TextChoices):
    """DfE main ethnicity codes as used in the school and AP censuses."""

    WBRI = "WBRI", "White – British"
    WIRI = "WIRI", "White – Irish"
    WIRT = "WIRT", "Traveller of Irish heritage"
    WROM = "WROM", "Gypsy / Roma"
    WOTH = "WOTH", "Any other White background"
    MWBC = "MWBC", "White and Black Caribbean"
    MWBA = "MWBA", "White and Black African"
    MWAS = "MWAS", "White and Asian"
    MOTH = "MOTH", "Any other mixed background"
    AIND = "AIND", "Indian"
    APKN = "APKN", "Pakistani"
    ABAN = "ABAN", "Bangladeshi"
    AOTH = "AOTH", "Any other Asian background"
    BCRB = "BCRB", "Black Caribbean"
    BAFR = "BAFR", "Black African"
    BOTH = "BOTH", "Any other Black background"
    CHNE = "CHNE", "Chinese"
    OOTH = "OOTH", "Any other ethnic group"
    REFU = "REFU", "Refused"
    NOBT = "NOBT", "Information not yet obtained"


class SenStatus(models.TextChoices):
    NONE = "N", "No special educational needs"
    SEN_SUPPORT = "K", "SEN support"
    EHCP = "E", "Education, health and care plan"


class SocialCareStatus(models.TextChoices):
    NONE = "NONE", "None"
    CHILD_IN_NEED = "CIN", "Child in need"
    CHILD_PROTECTION = "CP", "Child protection plan"


class Child(models.Model):
    upn = models.CharField("UPN", max_length=13, blank=True)
    upn_is_temporary = models.BooleanField(default=False)
    uln = models.CharField("ULN", max_length=10, blank=True)
    legal_first_name = models.CharField(max_length=100)
    legal_last_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=1, choices=Sex.choices)
    ethnicity = models.CharField(max_length=4, choices=Ethnicity.choices, default=Ethnicity.NOBT)
    sen_status = models.CharField(max_length=1, choices=SenStatus.choices, default=SenStatus.NONE)
    looked_after = models.BooleanField(default=False)
    responsible_la = models.ForeignKey(
        "organisations.LocalAuthority",
        on_delete=models.PROTECT,
        related_name="looked_after_children",
        null=True,
        blank=True,
        help_text="The LA that looks after the child, when looked after.",
    )
    social_care_status = models.CharField(
        max_length=4, choices=SocialCareStatus.choices, default=SocialCareStatus.NONE
    )
    youth_justice = models.BooleanField(default=False)
    fsm = models.BooleanField("Free school meals", default=False)
    home_school = models.ForeignKey(
        "organisations.Establishment",
        on_delete=models.PROTECT,
        related_name="pupils",
        null=True,
        blank=True,
    )
    home_la = models.ForeignKey(
        "organisations.LocalAuthority", on_delete=models.PROTECT, related_name="children"
    )
    social_worker = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        related_name="caseload",
        null=True,
        blank=True,
    )
    address_line_1 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    uprn = models.CharField("UPRN", max_length=12, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)
    # Set by the retention schedule (aptrack.dataprotection.retention) when the record's
    # identifying details were removed; the child id, year of birth and characteristics remain.
    anonymised_on = models.DateField(null=True, blank=True)
    # Whether a Common Transfer File left any of the four histories below: kept by the one
    # writer of those histories (`ctf_import._replace_histories`), so the record asks for them
    # only when there are some.
    has_transfer_history = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name_plural = "children"
        constraints = [
            models.UniqueConstraint(
                fields=["upn"], condition=~models.Q(upn=""), name="unique_upn_when_given"
            ),
            models.CheckConstraint(
                condition=models.Q(looked_after=False) | models.Q(responsible_la__isnull=False),
                name="looked_after_has_responsible_la",
            ),
            models.CheckConstraint(
                condition=models.Q(uln="") | models.Q(uln__regex=r"^[0-9]{10}$"),
                name="uln_is_ten_digits",
            ),
        ]
        indexes = [
            models.Index(fields=["home_la", "legal_last_name"]),
            models.Index(fields=["legal_last_name", "legal_first_name", "date_of_birth"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.legal_first_name} {self.legal_last_name}"

    @property
    def known_as(self) -> str:
        if self.preferred_name and self.preferred_name != self.legal_first_name:
            return f"{self.preferred_name} {self.legal_last_name}"
        return self.full_name

    def year_group(self, on: dt.date) -> int:
        return schooling.year_group(self.date_of_birth, on)

    def is_compulsory_school_age(self, on: dt.date) -> bool:
        return schooling.compulsory_school_age(self.date_of_birth).includes(on)


# --- histories from Common Transfer Files -------------------------------------------------------
# What a child's previous schools sent in a CTF (`children.ctf`): kept as the file gave them,
# replaced whole for a child when a newer file for them is imported.


class SenHistoryEntry(models.Model):
    """A period of SEN provision (CTF `SENhistory/SEN`): N none, K SEN support, E EHCP."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="sen_history")
    start_date = models.DateField()
    provision = models.CharField(max_length=1, choices=SenStatus.choices)
    needs = models.CharField(max_length=100, blank=True, help_text="SEN need type codes, ranked")

    def __str__(self) -> str:
        return f"{self.get_provision_display()} from {self.start_date}"


class FsmPeriod(models.Model):
    """A period of free school meals eligibility (CTF `FSMhistory/FSMinstance`)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="fsm_history")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    uk_country = models.CharField(max_length=3, blank=True)

    def __str__(self) -> str:
        return f"FSM from {self.start_date}"


class AttendanceSummary(models.Model):
    """A year's attendance at a previous school (CTF `Attendance/YearData`), in sessions."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="attendance_history")
    year = models.PositiveSmallIntegerField(help_text="The academic year it starts in")
    la_code = models.CharField(max_length=3, blank=True)
    establishment_number = models.CharField(max_length=4, blank=True)
    school_name = models.CharField(max_length=200, blank=True)
    sessions_possible = models.PositiveIntegerField()
    sessions_attended = models.PositiveIntegerField(null=True, blank=True)
    sessions_authorised = models.PositiveIntegerField(null=True, blank=True)
    sessions_unauthorised = models.PositiveIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Attendance {self.year}: {self.sessions_attended} of {self.sessions_possible}"


class SchoolHistoryEntry(models.Model):
    """A school the child was on the roll of (CTF `SchoolHistory/School`)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="school_history")
    la_code = models.CharField(max_length=3, blank=True)
    establishment_number = models.CharField(max_length=4, blank=True)
    school_name = models.CharField(max_length=200, blank=True)
    entry_date = models.DateField(null=True, blank=True)
    leaving_date = models.DateField(null=True, blank=True)
    leaving_reason = models.CharField(max_length=40, blank=True)

    def __str__(self) -> str:
        return self.school_name or f"{self.la_code}{self.establishment_number}"
