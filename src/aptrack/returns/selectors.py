"""Reads of provider returns, and the non-school placement time limit.

The registration-threshold rule has its own module, `aptrack.returns.threshold`.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from aptrack.accounts.roles import LA_ROLES, Role
from aptrack.children.models import Child
from aptrack.children.permissions import scope_children
from aptrack.placements.models import Placement
from aptrack.placements.rules import la_placements_q, ran_between_q, running_on_q
from aptrack.providers.models import REGISTERED_KINDS, Provider, ProviderSite
from aptrack.returns.models import ProviderReturn, ReturnEvent, ReturnLine

if TYPE_CHECKING:
    from aptrack.accounts.models import User

DEFAULT_NON_SCHOOL_MAX_WEEKS = 12


# --- providers ------------------------------------------------------------------------------


def list_providers_used_by_la(*, la_id: int) -> QuerySet[Provider]:
    """Providers an LA uses: based in the LA, or with any placement the LA answers for
    (`placements.rules.la_placements_q`: its own commissions, and schools' commissions for
    children living in the LA, whose providers it must know of to oversee them)."""
    answered_for = Placement.objects.filter(
        la_placements_q(la_id), provider_id=OuterRef("organisation_id")
    )
    return Provider.objects.filter(Q(home_la_id=la_id) | Exists(answered_for))


def get_own_provider(*, user: "User") -> Provider | None:
    """A provider staff member's own entry on the provider register, if it has one."""
    if getattr(user, "role", None) != Role.PROVIDER_STAFF or user.organisation_id is None:
        return None
    return Provider.objects.filter(organisation_id=user.organisation_id).first()


def list_startable_providers(*, user: "User") -> QuerySet[Provider]:
    """The non-school providers this user may start a return for."""
    role = getattr(user, "role", None)
    if role == Role.PROVIDER_STAFF and user.organisation_id is not None:
        providers = Provider.objects.filter(organisation_id=user.organisation_id)
    elif role in LA_ROLES and (la_id := _la_id(user)) is not None:
        providers = list_providers_used_by_la(la_id=la_id)
    else:
        providers = Provider.objects.none()
    return providers.exclude(kind__in=REGISTERED_KINDS).order_by("name", "pk")


def list_site_choices(*, provider: Provider) -> QuerySet[ProviderSite]:
    return provider.sites.filter(is_active=True).order_by("name", "pk")


# --- returns --------------------------------------------------------------------------------


def _la_id(user: "User") -> int | None:
    return user.organisation.local_authority_id if user.organisation else None


def _reachable_returns(user: "User") -> QuerySet[ProviderReturn]:
    """Provider staff reach their own provider's returns; LA roles those of providers they use."""
    if not getattr(user, "is_authenticated", False) or not user.organisation_id:
        return ProviderReturn.objects.none()
    role = getattr(user, "role", None)
    if role == Role.PROVIDER_STAFF:
        return ProviderReturn.objects.filter(provider__organisation_id=user.organisation_id)
    if role in LA_ROLES and (la_id := _la_id(user)):
        return ProviderReturn.objects.filter(provider__in=list_providers_used_by_la(la_id=la_id))
    return ProviderReturn.objects.none()


@dataclass(frozen=True)
class ReturnFilters:
    status: str = ""
    period_start_date: dt.date | None = None
    period_end_date: dt.date | None = None


def list_returns(*, user: "User", filters: ReturnFilters) -> QuerySet[ProviderReturn]:
    returns = (
        _reachable_returns(user).select_related("provider").annotate(line_count=Count("lines"))
    )
    if filters.status:
        returns = returns.filter(status=filters.status)
    if filters.period_start_date:
        returns = returns.filter(period_start_date=filters.period_start_date)
    if filters.period_end_date:
        returns = returns.filter(period_end_date=filters.period_end_date)
    return returns.order_by("-period_start_date", "provider__name", "pk")


def list_return_periods(*, user: "User") -> list[tuple[dt.date, dt.date]]:
    """The distinct periods of the returns the user can reach, newest first (for a filter)."""
    rows = (
        _reachable_returns(user)
        .values_list("period_start_date", "period_end_date")
        .distinct()
        .order_by("-period_start_date", "-period_end_date")
    )
    return list(rows)


def get_return(*, user: "User", return_id: int) -> ProviderReturn | None:
    return (
        _reachable_returns(user)
        .select_related("provider", "provider__organisation", "created_by", "submitted_by")
        .filter(pk=return_id)
        .first()
    )


def list_lines(*, provider_return: ProviderReturn) -> list[ReturnLine]:
    return list(
        provider_return.lines.select_related("child")
        .prefetch_related(Prefetch("sites", queryset=ProviderSite.objects.order_by("name", "pk")))
        .order_by("pk")
    )


def get_line(*, provider_return: ProviderReturn, line_id: int) -> ReturnLine | None:
    return provider_return.lines.filter(pk=line_id).first()


def list_events(*, provider_return: ProviderReturn) -> list[ReturnEvent]:
    return list(provider_return.events.select_related("actor").order_by("at", "pk"))


def list_line_child_choices(*, user: "User", provider_return: ProviderReturn) -> QuerySet[Child]:
    """Children placed with the provider at some time in the period, within the user's scope,
    and not already on the return."""
    placed = Placement.objects.filter(
        ran_between_q(provider_return.period_start_date, provider_return.period_end_date),
        provider_id=provider_return.provider.organisation_id,
    )
    already = provider_return.lines.filter(child__isnull=False).values("child_id")
    return (
        scope_children(user)
        .filter(pk__in=placed.values("child_id"))
        .exclude(pk__in=already)
        .order_by("legal_last_name", "legal_first_name", "pk")
    )


def list_visible_children(*, user: "User", child_ids: Iterable[int | None]) -> dict[int, Child]:
    """Of the given children, those the user may see by name, by id."""
    ids = {child_id for child_id in child_ids if child_id is not None}
    if not ids:
        return {}
    return {child.pk: child for child in scope_children(user).filter(pk__in=ids)}


# --- time limit on non-school placements -----------------------------------------------------


def non_school_max_weeks() -> int:
    """The longest a non-school placement should run, in weeks (APTRACK_NON_SCHOOL_MAX_WEEKS).

    DfE consulted in 2024 on limiting short-term unregistered AP to 12 weeks; the limit is not
    yet law, so it is a setting (domain.md §2, requirement 6)."""
    return int(getattr(settings, "APTRACK_NON_SCHOOL_MAX_WEEKS", DEFAULT_NON_SCHOOL_MAX_WEEKS))


def non_school_placement_q() -> Q:
    """Placements whose provider is non-school: its register entry's kind is not a registered
    kind, or it has no register entry and no URN (so it cannot be a registered school)."""
    return (
        Q(provider__provider__isnull=False) & ~Q(provider__provider__kind__in=REGISTERED_KINDS)
    ) | Q(provider__provider__isnull=True, provider__establishment__isnull=True)


@dataclass(frozen=True)
class LongPlacement:
    placement: Placement
    days_so_far: int
    limit_weeks: int

    @property
    def child_id(self) -> int:
        return self.placement.child_id

    @property
    def register_entry(self) -> Provider | None:
        """The provider's entry on the provider register, if it has one."""
        return getattr(self.placement.provider, "provider", None)

    @property
    def provider_name(self) -> str:
        entry = self.register_entry
        return entry.name if entry is not None else self.placement.provider.name

    @property
    def on_register(self) -> bool:
        return self.register_entry is not None

    @property
    def weeks_so_far(self) -> int:
        return self.days_so_far // 7

    @property
    def reason(self) -> str:
        return (
            f"{self.days_so_far} days so far ({self.weeks_so_far} weeks): past the "
            f"{self.limit_weeks}-week limit for non-school provision"
        )


def list_long_non_school_placements(*, la_id: int, on: dt.date) -> list[LongPlacement]:
    """The LA's placements (`placements.rules.la_placements_q`) running on `on`
    (`running_on_q`) with a non-school provider, that have run longer than the limit (more
    than APTRACK_NON_SCHOOL_MAX_WEEKS × 7 days since the start), longest first. Days so far
    count from the start date to `on`. Not drift's maximum (docs/rules.md, "Non-school time
    limit"): this flag is for every tier, by the provider's kind on the register today."""
    limit_weeks = non_school_max_weeks()
    latest_start = on - dt.timedelta(days=limit_weeks * 7 + 1)
    placements = (
        Placement.objects.filter(
            la_placements_q(la_id), running_on_q(on), start_date__lte=latest_start
        )
        .filter(non_school_placement_q())
        .select_related("provider", "provider__provider")
        .order_by("start_date", "pk")
    )
    return [
        LongPlacement(placement=p, days_so_far=(on - p.start_date).days, limit_weeks=limit_weeks)
        for p in placements
    ]
