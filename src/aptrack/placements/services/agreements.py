"""Keeping the individual service agreement when a placement starts (`agreement`)."""

import datetime as dt
from typing import Any

from aptrack.placements.agreement import agreement_snapshot
from aptrack.placements.models import Placement, ServiceAgreement
from aptrack.placements.services.common import local_date


def keep_agreement(*, placement: Placement, by: Any, at: dt.datetime) -> ServiceAgreement:
    """The agreement of a placement that has started, made now if it has none (once: the first
    one made is the one kept)."""
    agreement, _made = ServiceAgreement.objects.get_or_create(
        placement=placement,
        defaults={
            "snapshot": agreement_snapshot(placement=placement, on=local_date(at), by=by),
            "made_at": at,
            "made_by": by,
        },
    )
    return agreement
