"""The placement a school's notice records: AP the school commissions itself.

A separate door from `placements.services.create_placement`, on purpose: that one plans a
placement the commissioner is about to make (a site, the LA's standing for the provider, its
compliance evidence, and for a school tier 1 work under its LA). A notice records AP the school
has already arranged, perhaps with a provider the LA has never checked: refusing it would keep
the LA unaware of the placement, the failing the thematic review names. So the placement is
recorded as the school's own commission (no commissioning LA: the home LA answers for it
through `placements.rules.la_placements_q`, and the AP census leaves it to the school census),
with the same created event and audit row as every other placement."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from aptrack.accounts.models import User
from aptrack.audit import services as audit
from aptrack.audit.models import AuditAction, Channel
from aptrack.children.models import Child
from aptrack.organisations.models import Organisation
from aptrack.placements.models import Placement, PlacementEvent
from aptrack.placements.states import EventKind, PlacementStatus
from aptrack.providers.models import Provider


def create_school_placement(
    *,
    actor: User,
    at: dt.datetime,
    channel: Channel,
    child: Child,
    school: Organisation,
    provider: Provider,
    start_date: dt.date,
    hours_per_week: Decimal,
    where: str = "",
) -> Placement:
    """Record AP a school commissioned: active from its start (planned before it), tier 1."""
    today = timezone.localdate(at)
    status = PlacementStatus.ACTIVE if start_date <= today else PlacementStatus.PLANNED
    site = provider.sites.filter(is_active=True).order_by("pk").first()
    placement = Placement.objects.create(
        child=child,
        provider=provider.organisation,
        commissioning_la=None,
        commissioning_school=school,
        start_date=start_date,
        hours_per_week=hours_per_week,
        site=site,
        tier=1,
        status=status,
        created_at=at,
    )
    PlacementEvent.objects.create(
        placement=placement,
        kind=EventKind.CREATED,
        to_status=status,
        by=actor if getattr(actor, "pk", None) else None,
        at=at,
        data={
            "provider": provider.name,
            "tier": 1,
            "start_date": start_date.isoformat(),
            "hours_per_week": str(hours_per_week),
            "notified_by_school": school.name,
        },
    )
    audit.record_event(
        actor=actor,
        at=at,
        action=AuditAction.CREATED,
        channel=channel,
        instance=placement,
        child_id=child.pk,
        where=where,
        changes={
            k: {"old": None, "new": v}
            for k, v in audit.snapshot(placement).items()
            if k not in {"id", "created_at", "version"}
        },
    )
    return placement
