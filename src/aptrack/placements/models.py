"""Placements of a child with a provider. The referrals-and-placements issue grows this into a
plan with outcomes, reviews and exit; the foundation needs who is placed where, and by whom,
because that decides which provider may see which child."""

from django.db import models


class Placement(models.Model):
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="placements")
    provider = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="placements",
        limit_choices_to={"kind": "PROVIDER"},
    )
    commissioning_la = models.ForeignKey(
        "organisations.LocalAuthority",
        on_delete=models.PROTECT,
        related_name="commissioned_placements",
        null=True,
        blank=True,
    )
    commissioning_school = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="commissioned_placements",
        null=True,
        blank=True,
        limit_choices_to={"kind": "SCHOOL"},
    )
    start_date = models.DateField()
    planned_end_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    hours_per_week = models.DecimalField(max_digits=4, decimal_places=1, default=25)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(commissioning_la__isnull=False)
                | models.Q(commissioning_school__isnull=False),
                name="placement_has_commissioner",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="placement_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["provider", "end_date"])]

    def __str__(self) -> str:
        return f"{self.child} at {self.provider} from {self.start_date}"
