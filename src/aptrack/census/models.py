"""The one thing the census keeps itself: the primary reason for a placement that has no
referral (placements recorded before referrals were, or imported). With a referral, the reason
is the referral's and this is not used."""

from django.db import models

from aptrack.referrals.models import PrimaryReason


class RecordedReason(models.Model):
    placement = models.OneToOneField(
        "placements.Placement", on_delete=models.CASCADE, related_name="census_reason"
    )
    primary_reason = models.CharField(max_length=12, choices=PrimaryReason.choices)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    def __str__(self) -> str:
        return (
            f"Census reason for placement {self.placement_id}: {self.get_primary_reason_display()}"
        )
