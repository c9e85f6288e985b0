"""Session attendance: one mark per placement per school day per session, its earlier versions,
the batch each version came in with (who, when, which channel), and weekly rollups for measures.

Registers are kept for 6 years (SI 2024/208): marks and their versions are never deleted by the
app, and placements they belong to are protected.
"""

from django.db import models

from aptrack.attendance import codes


class Session(models.TextChoices):
    AM = "AM", "Morning"
    PM = "PM", "Afternoon"


class MarkChannel(models.TextChoices):
    """Which way a batch of marks came in. Every channel goes through `record_marks`."""

    REGISTER = "REGISTER", "Register page"
    UPLOAD = "UPLOAD", "File upload"
    COMMAND = "COMMAND", "Command-line import"
    API = "API", "API"
    SYNTHETIC = "SYNTHETIC", "Synthetic data"


class MarkBatch(models.Model):
    """One submission of marks: a register page save, an uploaded file, an API call."""

    provider = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "PROVIDER"},
    )
    channel = models.CharField(max_length=10, choices=MarkChannel.choices)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField()
    source = models.CharField(
        max_length=200, blank=True, help_text="File name, endpoint or register"
    )
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["provider", "recorded_at"], name="attendance_batch_provider")
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} batch {self.pk} at {self.recorded_at:%Y-%m-%d %H:%M}"


_code_values = [code.code for code in codes.CODES]
_late_values = sorted(codes.LATE_CODES)


class AttendanceMark(models.Model):
    """The current mark for one placement, school day and session. A change keeps the old
    version in AttendanceMarkVersion and bumps `version`.

    On PostgreSQL the table is partitioned by academic year of `session_date` (ADR 0010,
    `partitions`): its primary key there is (id, session_date), while Django sees `id`, which
    the identity sequence keeps unique. SQLite has one plain table."""

    # No index of their own: the unique constraint below leads with the placement, and marks are
    # never looked up by batch. Every index slows the import of a term's marks.
    placement = models.ForeignKey(
        "placements.Placement",
        on_delete=models.PROTECT,
        related_name="attendance_marks",
        db_index=False,
    )
    session_date = models.DateField()
    session = models.CharField(max_length=2, choices=Session.choices)
    code = models.CharField(max_length=codes.MAX_CODE_LENGTH, choices=codes.CODE_CHOICES)
    minutes_late = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.CharField(max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1)
    # Not a database foreign key: the batch is written by the same transaction as its marks and
    # never deleted, and PostgreSQL checks a deferred foreign key row by row at commit, which
    # cost a third of a million-mark import. The placement's foreign key, which matters, stays.
    batch = models.ForeignKey(
        MarkBatch,
        on_delete=models.PROTECT,
        related_name="marks",
        db_index=False,
        db_constraint=False,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "session_date", "session"],
                name="one_mark_per_placement_session",
            ),
            models.CheckConstraint(
                condition=models.Q(session__in=["AM", "PM"]), name="mark_session_am_or_pm"
            ),
            models.CheckConstraint(
                condition=models.Q(code__in=_code_values), name="mark_code_in_force"
            ),
            models.CheckConstraint(
                condition=models.Q(minutes_late__isnull=True) | models.Q(code__in=_late_values),
                name="minutes_late_only_when_late",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session_date} {self.session} {self.code}"

    @property
    def mark_class(self) -> codes.MarkClass:
        return codes.mark_class(self.code)

    @property
    def meaning(self) -> str:
        return codes.BY_CODE[self.code].meaning


class AttendanceMarkVersion(models.Model):
    """An earlier version of a mark, kept when the mark was changed: the audit trail of code
    changes (domain.md requirement 15)."""

    mark = models.ForeignKey(
        AttendanceMark, on_delete=models.PROTECT, related_name="earlier_versions"
    )
    # The mark's date, copied: on PostgreSQL the marks table is partitioned by academic year
    # and its keys include the date, so the foreign key to the mark is (mark, session_date)
    # there (ADR 0010). Written with the version by `record_marks`; a mark's date never changes.
    session_date = models.DateField()
    version = models.PositiveIntegerField()
    code = models.CharField(max_length=codes.MAX_CODE_LENGTH, choices=codes.CODE_CHOICES)
    minutes_late = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.CharField(max_length=500, blank=True)
    batch = models.ForeignKey(MarkBatch, on_delete=models.PROTECT, related_name="+", db_index=False)
    replaced_by_batch = models.ForeignKey(
        MarkBatch, on_delete=models.PROTECT, related_name="+", db_index=False
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mark", "version"], name="one_row_per_mark_version"),
        ]

    def __str__(self) -> str:
        return f"Mark {self.mark_id} version {self.version}: {self.code}"


_ROLLUP_INCLUDE = [
    "child",
    "placement",
    "present",
    "aea",
    "authorised",
    "unauthorised",
    "not_possible",
    "administrative",
    "q_sessions",
    "part_time_sessions",
]


class PlacementWeek(models.Model):
    """Attendance of one placement in one week (Monday to Sunday), summed by class.

    Kept by `record_marks` for every placement-week a batch touches, so measures read a few
    thousand rows instead of millions of marks. `local_authority` is the LA a measure counts the
    placement in: the commissioning LA, else the child's home LA.
    """

    placement = models.ForeignKey(
        "placements.Placement", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    week_start_date = models.DateField()
    # Copies of the placement's child, LA and provider, so measures group without joins. They
    # are derived from the placement (constrained above) and written only by `record_marks`;
    # foreign-key checks on them would double the cost of writing rollups.
    child = models.ForeignKey(
        "children.Child",
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    local_authority = models.ForeignKey(
        "organisations.LocalAuthority",
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    provider = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    present = models.PositiveSmallIntegerField(default=0)
    aea = models.PositiveSmallIntegerField("Approved educational activity", default=0)
    authorised = models.PositiveSmallIntegerField(default=0)
    unauthorised = models.PositiveSmallIntegerField(default=0)
    not_possible = models.PositiveSmallIntegerField(default=0)
    administrative = models.PositiveSmallIntegerField(default=0)
    # Details inside the classes above: Q (within not possible), C2 (within authorised).
    q_sessions = models.PositiveSmallIntegerField(default=0)
    part_time_sessions = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "week_start_date"], name="one_rollup_per_placement_week"
            ),
        ]
        # An LA's or a provider's weeks are scattered through the table; carrying the counts
        # in the index lets PostgreSQL answer a measure from the index alone (once vacuumed).
        indexes = [
            models.Index(
                fields=["local_authority", "week_start_date"],
                include=_ROLLUP_INCLUDE,
                name="attendance_week_la",
            ),
            models.Index(
                fields=["provider", "week_start_date"],
                include=_ROLLUP_INCLUDE,
                name="attendance_week_provider",
            ),
            models.Index(fields=["child", "week_start_date"], name="attendance_week_child"),
        ]

    def __str__(self) -> str:
        return f"Placement {self.placement_id}, week of {self.week_start_date}"
