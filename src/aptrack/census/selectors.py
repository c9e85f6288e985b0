"""Reads for the AP census: the LA's candidate placements on census day, and exclusions."""

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q, QuerySet

from aptrack.organisations.models import LocalAuthority
from aptrack.placements.models import Placement
from aptrack.placements.states import PlacementStatus
from aptrack.referrals.models import PrimaryReason, Referral, Route
from aptrack.referrals.states import ReferralStatus


def placements_running_on(*, la: LocalAuthority, census_date: dt.date) -> QuerySet[Placement]:
    """Placements the LA commissioned that run on census day by their dates: started on or
    before it, not ended before it, not cancelled. Planned ones count too (a census day still
    to come, or a start nobody recorded: validation says which). The census counts only what
    the LA commissions and funds (DfE's scope), the part of the LA's placements
    (`placements.rules.la_placements_q`) with the LA as commissioner: a school's commission is
    in the school census AP module instead (docs/rules.md)."""
    return (
        Placement.objects.filter(
            commissioning_la=la,
            start_date__lte=census_date,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=census_date))
        .exclude(status=PlacementStatus.CANCELLED)
        .select_related(
            "child",
            "child__home_school",
            "referral",
            "census_reason",
            "provider",
            "provider__establishment",
            "provider__provider",
            "provider__provider__establishment",
        )
        .order_by(
            "child__legal_last_name", "child__legal_first_name", "child_id", "start_date", "pk"
        )
    )


def permanently_excluded_child_ids(*, child_ids: Iterable[int], census_date: dt.date) -> set[int]:
    """Children with a permanent exclusion on or before census day (a referral on the
    permanent-exclusion route, or with that primary reason, not withdrawn)."""
    return set(
        Referral.objects.filter(
            child_id__in=list(child_ids), first_day_of_exclusion__lte=census_date
        )
        .filter(
            Q(route=Route.PERMANENT_EXCLUSION) | Q(primary_reason=PrimaryReason.PERMANENT_EXCLUSION)
        )
        .exclude(status=ReferralStatus.WITHDRAWN)
        .values_list("child_id", flat=True)
    )
