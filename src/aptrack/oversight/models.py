"""Committee pack exports: one row per request, with its progress and, once built, its files.

The files are kept in the database (a pack is a few hundred kilobytes), so they are backed up
with everything else and need no shared file storage between the web and worker processes.
"""

from django.db import models

from aptrack.oversight.pack.states import PackStatus


class PackExport(models.Model):
    """A committee pack asked for by an LA user for one period: a PDF and a workbook."""

    local_authority = models.ForeignKey(
        "organisations.LocalAuthority", on_delete=models.PROTECT, related_name="+"
    )
    period_start_date = models.DateField()
    period_end_date = models.DateField()
    period_label = models.CharField(max_length=100)
    for_publication = models.BooleanField(
        default=False, help_text="Small numbers are suppressed in a copy for publication."
    )
    requested_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    as_at_date = models.DateField(help_text="The day the figures are counted as at.")
    status = models.CharField(max_length=10, choices=PackStatus.choices, default=PackStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=120, blank=True, help_text="What the task is doing now.")
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    xlsx = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__gte=0, progress__lte=100),
                name="pack_progress_is_a_percentage",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end_date__gte=models.F("period_start_date")),
                name="pack_period_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=PackStatus.DONE)
                | models.Q(pdf__isnull=False, xlsx__isnull=False),
                name="finished_pack_has_files",
            ),
        ]
        indexes = [models.Index(fields=["local_authority", "-requested_at"])]

    def __str__(self) -> str:
        copy = "publication" if self.for_publication else "internal"
        return f"Committee pack, {self.period_label} ({copy})"

    @property
    def is_finished(self) -> bool:
        return self.status in (PackStatus.DONE, PackStatus.FAILED)

    def filename(self, extension: str) -> str:
        copy = "publication" if self.for_publication else "internal"
        return (
            f"committee-pack-{self.local_authority.code}-{self.period_start_date:%Y%m%d}-"
            f"{self.period_end_date:%Y%m%d}-{copy}.{extension}"
        )


class DataVersion(models.Model):
    """How many times the data behind one LA's figures has changed (key ``la:<id>``), or the data
    behind every LA's (``all``: providers, organisations, the standard calendar). Counted when
    each change commits; see `measures.store`."""

    key = models.CharField(max_length=24, unique=True)
    version = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key} v{self.version}"


class Figures(models.Model):
    """One LA's figures (numbers, as JSON) for one view, period and day: its dashboard for a
    cohort, or its comparison figures for the regional and national view. Served while the data
    versions they were computed from (``stamp``) are current, or for a bounded time after they
    were computed (`measures.store`)."""

    local_authority = models.ForeignKey(
        "organisations.LocalAuthority", on_delete=models.CASCADE, related_name="+"
    )
    view = models.CharField(max_length=20, help_text="dashboard, dashboard-now or comparison")
    day = models.DateField(help_text="The day they count as today.")
    period_start = models.DateField()
    period_end = models.DateField()
    period_label = models.CharField(max_length=100)
    stamp = models.CharField(max_length=60, help_text="The data versions they were computed from.")
    figures = models.JSONField()
    computed_at = models.DateTimeField()
    compute_ms = models.PositiveIntegerField(help_text="How long computing them took.")

    class Meta:
        verbose_name_plural = "figures"
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "view", "day", "period_start", "period_end"],
                name="one_figures_per_view",
            ),
        ]
        indexes = [
            models.Index(fields=["day", "local_authority"]),
            models.Index(fields=["computed_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.view} figures, {self.period_label}, {self.day}"
