"""Reads of the provider register."""

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from aptrack.children.models import Child
from aptrack.children.permissions import scope_children
from aptrack.providers.models import REGISTERED_KINDS, ApprovalEvent, Provider, ProviderApproval
from aptrack.providers.readers import readers

if TYPE_CHECKING:
    from aptrack.accounts.models import User


@dataclass(frozen=True)
class ProviderFilters:
    query: str = ""
    registered: bool | None = None
    kind: str = ""
    approval_status: str = ""
    tier: int | None = None
    area_la_id: int | None = None


def _active_placements(on: dt.date) -> Q:
    return Q(placements__start_date__lte=on) & (
        Q(placements__end_date__isnull=True) | Q(placements__end_date__gte=on)
    )


def list_providers(
    *, filters: ProviderFilters, la_id: int | None, on: dt.date
) -> QuerySet[Provider]:
    """Providers with their current occupancy and, for an LA user, their standing with that LA."""
    providers = Provider.objects.select_related("home_la", "establishment").annotate(
        # As count_occupancy: children in a placement running on `on`.
        occupancy=Count(
            "organisation__placements__child",
            filter=readers["running_on_q"](on, prefix="organisation__placements__"),
            distinct=True,
        ),
    )
    if la_id is not None:
        providers = providers.annotate(
            approval_status=Subquery(
                ProviderApproval.objects.filter(
                    provider=OuterRef("pk"), local_authority_id=la_id
                ).values("status")[:1]
            )
        )
    if filters.query:
        providers = providers.filter(
            Q(name__icontains=filters.query)
            | Q(establishment__urn=filters.query.strip())
            | Q(ukprn=filters.query.strip())
        )
    if filters.registered is True:
        providers = providers.filter(kind__in=REGISTERED_KINDS)
    elif filters.registered is False:
        providers = providers.exclude(kind__in=REGISTERED_KINDS)
    if filters.kind:
        providers = providers.filter(kind=filters.kind)
    if filters.tier in (1, 2, 3):
        providers = providers.filter(**{f"offers_tier_{filters.tier}": True})
    if filters.area_la_id:
        providers = providers.filter(
            Q(home_la_id=filters.area_la_id) | Q(sites__local_authority_id=filters.area_la_id)
        ).distinct()
    if filters.approval_status and la_id is not None:
        if filters.approval_status == "NOT_ASSESSED":
            providers = providers.filter(
                Q(approval_status__isnull=True) | Q(approval_status="NOT_ASSESSED")
            )
        else:
            # A Q: the standing is annotated above only for an LA user.
            providers = providers.filter(Q(approval_status=filters.approval_status))
    return providers.order_by("name", "pk")


def get_provider(*, provider_id: int) -> Provider | None:
    return (
        Provider.objects.select_related("home_la", "establishment", "organisation")
        .filter(pk=provider_id)
        .first()
    )


def get_approval(*, provider: Provider, la_id: int | None) -> ProviderApproval | None:
    if la_id is None:
        return None
    return ProviderApproval.objects.filter(provider=provider, local_authority_id=la_id).first()


def list_approval_history(*, provider: Provider, la_id: int | None) -> list[ApprovalEvent]:
    if la_id is None:
        return []
    approval = get_approval(provider=provider, la_id=la_id)
    if approval is None:
        return []
    return list(approval.events.select_related("by").order_by("-at", "-pk"))


def count_occupancy(*, provider: Provider, on: dt.date) -> int:
    """Children in a placement with the provider running on `on` (placements.rules.running_on_q:
    not one only planned or cancelled)."""
    return (
        provider.organisation.placements.filter(readers["running_on_q"](on))
        .values("child_id")
        .distinct()
        .count()
    )


def list_children_placed(*, user: "User", provider: Provider, on: dt.date) -> QuerySet[Child]:
    """Children placed with the provider on `on` (the placements running that day), limited to
    those the user may see."""
    placed = provider.organisation.placements.filter(readers["running_on_q"](on))
    return (
        scope_children(user)
        .filter(pk__in=placed.values("child_id"))
        .select_related("home_la")
        .order_by("legal_last_name", "legal_first_name", "pk")
    )


def list_interested_la_ids(*, provider: Provider) -> set[int]:
    """The LAs with a stake in the provider's shared record: where it is based and every LA that
    commissions (has placed a child) there."""
    commissioning = provider.organisation.placements.values_list(
        "commissioning_la_id", flat=True
    ).distinct()
    return {provider.home_la_id, *(la_id for la_id in commissioning if la_id is not None)}


def find_provider(
    *, provider_id: int | None = None, urn: str | None = None, ukprn: str | None = None
) -> tuple[Provider | None, str]:
    """The provider a command line names by register id, URN or UKPRN (the first given), and
    how it was named, for the error when there is none."""
    providers = Provider.objects.select_related("organisation")
    if provider_id is not None:
        return providers.filter(pk=provider_id).first(), f"id {provider_id}"
    if urn:
        return providers.filter(establishment__urn=urn).first(), f"URN {urn}"
    return providers.filter(ukprn=ukprn).first(), f"UKPRN {ukprn}"
