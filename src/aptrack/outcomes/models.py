"""Outcomes of a placement, as the national AP performance framework measures them (domain.md
§4): English and maths attainment, qualifications, wellbeing, attendance before AP, and tier 1
outreach to schools. Reintegration and post-16 destinations are not stored here: they are the
placement's `destination` and its 6- and 12-week follow-ups (placements app)."""

from django.db import models
from django.db.models import Q

from aptrack.outcomes import grades
from aptrack.outcomes.states import QualificationStatus


class Subject(models.TextChoices):
    ENGLISH = "ENGLISH", "English"
    MATHS = "MATHS", "Maths"


class AssessmentPoint(models.TextChoices):
    """When a grade was recorded: the baseline on entry, at a review or progress check during
    the placement, or the child's KS4 (GCSE) result."""

    ENTRY = "ENTRY", "On entry"
    REVIEW = "REVIEW", "At a review or progress check"
    KS4_RESULT = "KS4_RESULT", "KS4 (GCSE) result"


class AttainmentRecord(models.Model):
    """A working-at grade (or KS4 result) in English or maths, on the scale in `grades`."""

    placement = models.ForeignKey(
        "placements.Placement", on_delete=models.CASCADE, related_name="attainment"
    )
    subject = models.CharField(max_length=10, choices=Subject.choices)
    point = models.CharField(max_length=12, choices=AssessmentPoint.choices)
    # The review the grade was reported at; provider staff record progress checks without one.
    review = models.ForeignKey(
        "placements.Review", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    grade = models.SmallIntegerField(
        help_text="GCSE 1–9; 0, -1, -2 Entry Level 3, 2, 1; -3 below / U"
    )
    assessed_date = models.DateField()
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(grade__gte=grades.GRADE_MIN, grade__lte=grades.GRADE_MAX),
                name="attainment_grade_on_scale",
            ),
            models.CheckConstraint(
                condition=Q(review__isnull=True) | Q(point="REVIEW"),
                name="attainment_review_only_at_review_point",
            ),
            models.UniqueConstraint(
                fields=["placement", "subject", "point"],
                condition=Q(point__in=["ENTRY", "KS4_RESULT"]),
                name="one_entry_and_one_ks4_grade_per_subject",
            ),
        ]
        indexes = [models.Index(fields=["placement", "subject", "point", "assessed_date"])]

    def __str__(self) -> str:
        return (
            f"{self.get_subject_display()} {self.get_point_display().lower()}: {self.grade_label}"
        )

    @property
    def grade_label(self) -> str:
        return grades.grade_label(self.grade, ks4_result=self.point == AssessmentPoint.KS4_RESULT)


class QualificationKind(models.TextChoices):
    GCSE = "GCSE", "GCSE"
    FUNCTIONAL_SKILLS = "FUNCTIONAL_SKILLS", "Functional Skills"
    ENTRY_LEVEL = "ENTRY_LEVEL", "Entry Level Certificate"
    BTEC = "BTEC", "BTEC"
    VOCATIONAL = "VOCATIONAL", "Other vocational qualification"
    OTHER = "OTHER", "Other accredited course"


class QualificationLevel(models.TextChoices):
    ENTRY = "ENTRY", "Entry Level"
    LEVEL_1 = "LEVEL_1", "Level 1"
    LEVEL_2 = "LEVEL_2", "Level 2"
    LEVEL_3 = "LEVEL_3", "Level 3"


class Qualification(models.Model):
    """A qualification the child is working towards in the placement, or has achieved."""

    placement = models.ForeignKey(
        "placements.Placement", on_delete=models.CASCADE, related_name="qualifications"
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=QualificationKind.choices)
    level = models.CharField(max_length=10, choices=QualificationLevel.choices)
    status = models.CharField(max_length=16, choices=QualificationStatus.choices)
    # When the child started working towards it, and when the result came (achieved or not).
    started_date = models.DateField()
    result_date = models.DateField(null=True, blank=True)
    result = models.CharField(max_length=40, blank=True, help_text="Grade or result, if graded")
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status="WORKING_TOWARDS", result_date__isnull=True)
                | (~Q(status="WORKING_TOWARDS") & Q(result_date__isnull=False)),
                name="qualification_result_date_with_result",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display().lower()})"


WELLBEING_MIN, WELLBEING_MAX = 1, 10


class WellbeingScore(models.Model):
    """How the child rates their wellbeing and engagement, 1 (very low) to 10 (very good), on
    entry and at reviews: one number per conversation, so progress reads as a line."""

    placement = models.ForeignKey(
        "placements.Placement", on_delete=models.CASCADE, related_name="wellbeing_scores"
    )
    review = models.ForeignKey(
        "placements.Review", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    score = models.PositiveSmallIntegerField()
    recorded_date = models.DateField()
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=WELLBEING_MIN, score__lte=WELLBEING_MAX),
                name="wellbeing_score_1_to_10",
            ),
        ]
        indexes = [models.Index(fields=["placement", "recorded_date"])]

    def __str__(self) -> str:
        return f"Wellbeing {self.score}/10 on {self.recorded_date}"


class AttendanceSource(models.TextChoices):
    SCHOOL_RECORD = "SCHOOL_RECORD", "The school's attendance record"
    CTF = "CTF", "Common transfer file"
    REFERRAL = "REFERRAL", "The referral"
    LA_DATA = "LA_DATA", "LA attendance data"
    OTHER = "OTHER", "Other"


class PriorAttendance(models.Model):
    """The child's attendance at school before the placement, to set against attendance in AP."""

    placement = models.OneToOneField(
        "placements.Placement", on_delete=models.CASCADE, related_name="prior_attendance"
    )
    attendance_percent = models.DecimalField(max_digits=4, decimal_places=1)
    period_start_date = models.DateField()
    period_end_date = models.DateField()
    source = models.CharField(max_length=16, choices=AttendanceSource.choices)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(attendance_percent__gte=0, attendance_percent__lte=100),
                name="prior_attendance_is_a_percentage",
            ),
            models.CheckConstraint(
                condition=Q(period_end_date__gte=models.F("period_start_date")),
                name="prior_attendance_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attendance_percent}% before AP"


class OutreachSupport(models.Model):
    """Tier 1 support given to a mainstream school (outreach, in-school units): school-level,
    not child-level, so it names no child."""

    local_authority = models.ForeignKey(
        "organisations.LocalAuthority", on_delete=models.PROTECT, related_name="outreach"
    )
    school = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="outreach_received",
        limit_choices_to={"kind": "SCHOOL"},
    )
    # Who gave it: a provider (often the PRU), or the LA's own outreach team when blank.
    provider = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="outreach_given",
        null=True,
        blank=True,
        limit_choices_to={"kind": "PROVIDER"},
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    pupils_supported = models.PositiveIntegerField()
    hours = models.DecimalField(max_digits=7, decimal_places=1)
    purpose = models.TextField()
    outcome = models.TextField(blank=True)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="outreach_ends_after_start",
            ),
            models.CheckConstraint(condition=Q(hours__gte=0), name="outreach_hours_not_negative"),
        ]
        indexes = [models.Index(fields=["local_authority", "start_date"])]

    def __str__(self) -> str:
        return f"Outreach to {self.school} from {self.start_date}"
