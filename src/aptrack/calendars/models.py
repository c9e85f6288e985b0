"""Term dates and days without school, per LA, from which school days are counted.

Rows with no LA are the standard English pattern; an LA that records its own terms for an
academic year uses those instead for that year. Closure days (bank holidays, INSET days,
planned closures) are national (no LA) or local.
"""

from django.db import models


class TermPeriod(models.Model):
    local_authority = models.ForeignKey(
        "organisations.LocalAuthority",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="term_periods",
    )
    academic_year = models.PositiveSmallIntegerField(
        help_text="The year the academic year starts, e.g. 2026 for 2026/27"
    )
    name = models.CharField(max_length=40)
    start_date = models.DateField()
    end_date = models.DateField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="term_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["local_authority", "academic_year"])]

    def __str__(self) -> str:
        return f"{self.name} {self.academic_year}: {self.start_date} to {self.end_date}"


class ClosureKind(models.TextChoices):
    BANK_HOLIDAY = "BANK_HOLIDAY", "Bank holiday"
    INSET = "INSET", "Training (INSET) day"
    PLANNED_CLOSURE = "PLANNED_CLOSURE", "Planned closure"


class ClosureDay(models.Model):
    local_authority = models.ForeignKey(
        "organisations.LocalAuthority",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="closure_days",
    )
    date = models.DateField()
    kind = models.CharField(max_length=20, choices=ClosureKind.choices)
    description = models.CharField(max_length=120, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "date"], name="one_closure_per_day_per_la"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"
