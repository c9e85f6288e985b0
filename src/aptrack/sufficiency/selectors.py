"""Sufficiency: the demand for alternative provision in an LA against the places it can use.

The rules here are this app's own (docs/rules.md, "Sufficiency"); who is owed the sixth-day duty
and whether it was missed is `referrals.selectors.list_sixth_day_duties`, a provider's children
placed is the provider register's occupancy (`providers.selectors.list_providers`), and a key
stage is `placements.policy.key_stage`.

- **Awaiting placement**: a referral to the LA (its commissioning LA) that is submitted, on a
  panel agenda, approved or deferred on the day, with no placement for it that has started
  (active or ended). A planned placement is still waiting.
- **Referred on**: the day the referral was first submitted (its first SUBMITTED event), or,
  with no event recorded, the day it was created.
- **Wait**: days from referred on to the start of the referral's first started placement, for
  placements that started in the twelve months to the day. Median and 90th percentile (nearest
  rank: the smallest wait at least 90% of waits are no longer than).
- **Sixth-day misses**: the duties missed whose sixth day fell in the same twelve months.
- **Places**: the capacity of each provider the LA can use (on its framework, approved or with
  conditions, or based in the LA) as the provider register records it; **vacancies**: places
  less the children placed there on the day by any LA, never below nought. A provider offering
  two tiers or key stages counts its places under each, so the rows of one table do not add up
  to the total.
- **Block places**: the places bought on each of the LA's block contracts in force on the day,
  and those used: the contract's placements running that day (`commissioning.contracts.
  list_block_places`, whose rule is `placements.rules.running_on_q`). Unused places are each
  contract's places less those used, never below nought (so a full contract does not hide
  another's empty places). A contract counts under its provider's tiers, key stages and area,
  as the provider's places do.
- **Area**: the postcode district (the first half of the postcode) of the child's home, and of
  the provider's first active site.
- **Need**: the referral's primary reason.
- **Projection**: next term's referrals are the same term last year multiplied by the trend (the
  last three whole terms against the same three terms a year earlier); with no referrals a year
  earlier, the last whole term's number. Terms are taken as autumn (September to December),
  spring (January to March) and summer (April to August).
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Min, OuterRef, Q, Subquery

from aptrack.commissioning.contracts import list_block_places
from aptrack.placements.models import Placement
from aptrack.placements.policy import key_stage
from aptrack.placements.states import PlacementStatus
from aptrack.providers.models import KeyStage, Provider
from aptrack.providers.selectors import ProviderFilters, list_providers
from aptrack.providers.states import ApprovalStatus
from aptrack.referrals.models import PrimaryReason, Referral, ReferralEvent, Tier
from aptrack.referrals.selectors import list_sixth_day_duties
from aptrack.referrals.states import ReferralStatus

WAITING_STATUSES = (
    ReferralStatus.SUBMITTED,
    ReferralStatus.ON_AGENDA,
    ReferralStatus.APPROVED,
    ReferralStatus.DEFERRED,
)
STARTED = (PlacementStatus.ACTIVE, PlacementStatus.ENDED)
FRAMEWORK_STATUSES = (ApprovalStatus.APPROVED, ApprovalStatus.CONDITIONAL)
WINDOW_DAYS = 365
NOT_RECORDED = "Not recorded"
DIMENSIONS = (
    ("tier", "Tier"),
    ("key_stage", "Key stage"),
    ("area", "Area (postcode district)"),
    ("need", "Need (primary reason)"),
)


def postcode_district(postcode: str) -> str:
    """The outward code of a UK postcode ("DT1 1AA" -> "DT1"); a postcode written without its
    space keeps all but its last three characters."""
    text = (postcode or "").strip().upper()
    if not text:
        return NOT_RECORDED
    if " " in text:
        return text.split()[0]
    return text[:-3] if len(text) > 4 else text


def percentile(values: list[int], share: int) -> int | None:
    """Nearest-rank percentile: the smallest value at least `share`% of the values do not exceed."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered) / 100) - 1, 0)]


def median(values: list[int]) -> Decimal | None:
    if not values:
        return None
    return Decimal(str(statistics.median(values))).quantize(Decimal("0.1"), ROUND_HALF_UP)


# --- demand -----------------------------------------------------------------------------------


def _referred_on_q() -> Subquery:
    return Subquery(
        ReferralEvent.objects.filter(referral=OuterRef("pk"), to_status=ReferralStatus.SUBMITTED)
        .order_by("at")
        .values("at")[:1]
    )


def _referred_on(referral: Referral) -> dt.date:
    at = getattr(referral, "submitted_at", None) or referral.created_at
    return at.date()


@dataclass(frozen=True, kw_only=True)
class Counted:
    """A referral counted in demand, with the labels it is counted under."""

    referral_id: int
    tier: str
    key_stage: str
    area: str
    need: str


@dataclass(frozen=True, kw_only=True)
class Waiting(Counted):
    referred_on: dt.date
    days_waiting: int


def _labels(referral: Referral, on: dt.date) -> dict[str, str]:
    return {
        "tier": f"Tier {referral.proposed_tier}",
        "key_stage": key_stage(referral.child.year_group(on)),
        "area": postcode_district(referral.child.postcode),
        "need": str(PrimaryReason(referral.primary_reason).label)
        if referral.primary_reason in PrimaryReason.values
        else referral.primary_reason,
    }


def list_awaiting_placement(*, la_id: int, on: dt.date) -> list[Waiting]:
    """The LA's referrals awaiting placement on `on` (see the module's rule), longest first."""
    started = Placement.objects.filter(
        referral=OuterRef("pk"), status__in=STARTED, start_date__lte=on
    )
    referrals = (
        Referral.objects.filter(commissioning_la_id=la_id, status__in=WAITING_STATUSES)
        .exclude(Q(pk__in=started.values("referral_id")))
        .annotate(submitted_at=_referred_on_q())
        .select_related("child")
    )
    rows = []
    for referral in referrals:
        referred_on = _referred_on(referral)
        if referred_on > on:
            continue
        rows.append(
            Waiting(
                referral_id=referral.pk,
                referred_on=referred_on,
                days_waiting=(on - referred_on).days,
                **_labels(referral, referred_on),
            )
        )
    return sorted(rows, key=lambda row: (-row.days_waiting, row.referral_id))


@dataclass(frozen=True, kw_only=True)
class Wait(Counted):
    referred_on: dt.date
    started_on: dt.date
    days: int


def list_waits(*, la_id: int, start: dt.date, end: dt.date) -> list[Wait]:
    """Waits from referral to the start of its first started placement, for the LA's referrals
    whose placement started from `start` to `end`."""
    referrals = (
        Referral.objects.filter(commissioning_la_id=la_id)
        .annotate(
            submitted_at=_referred_on_q(),
            started_on=Min("placements__start_date", filter=Q(placements__status__in=STARTED)),
        )
        .filter(started_on__gte=start, started_on__lte=end)
        .select_related("child")
    )
    rows = []
    for referral in referrals:
        referred_on = _referred_on(referral)
        started_on: dt.date = referral.started_on
        rows.append(
            Wait(
                referral_id=referral.pk,
                referred_on=referred_on,
                started_on=started_on,
                days=max((started_on - referred_on).days, 0),
                **_labels(referral, referred_on),
            )
        )
    return rows


class Miss(Counted):
    """A sixth-day duty missed."""


def list_sixth_day_misses(*, la_id: int, start: dt.date, end: dt.date) -> list[Miss]:
    """Sixth-day duties missed (the owner: `referrals.selectors.list_sixth_day_duties`) whose
    sixth day fell from `start` to `end`."""
    return [
        Miss(referral_id=duty.referral.pk, **_labels(duty.referral, duty.first_day))
        for duty in list_sixth_day_duties(la_id=la_id, on=end, due_from=start, due_to=end)
        if duty.missed
    ]


# --- capacity ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProviderPlaces:
    provider_id: int
    organisation_id: int
    name: str
    places: int | None  # None: capacity not recorded
    placed: int
    tiers: tuple[int, ...]
    key_stages: tuple[str, ...]
    area: str

    @property
    def vacancies(self) -> int | None:
        return None if self.places is None else max(self.places - self.placed, 0)


def _provider_row(provider: Provider, *, placed: int) -> ProviderPlaces:
    sites = sorted((s for s in provider.sites.all() if s.is_active), key=lambda s: s.pk)
    return ProviderPlaces(
        provider_id=provider.pk,
        organisation_id=provider.organisation_id,
        name=provider.name,
        places=provider.capacity,
        placed=placed,
        tiers=tuple(provider.tiers),
        key_stages=tuple(str(stage) for stage in (provider.key_stages or [])),
        area=postcode_district(sites[0].postcode) if sites else NOT_RECORDED,
    )


def list_provider_places(*, la_id: int, on: dt.date) -> list[ProviderPlaces]:
    """The providers the LA can use (on its framework, approved or with conditions, or based in
    the LA), with their places and the children placed there on `on`."""
    providers = (
        list_providers(filters=ProviderFilters(), la_id=la_id, on=on)
        .filter(Q(home_la_id=la_id) | Q(approval_status__in=FRAMEWORK_STATUSES))
        .prefetch_related("sites")
    )
    return [
        _provider_row(provider, placed=provider.occupancy)  # type: ignore[attr-defined]
        for provider in providers
    ]


@dataclass(frozen=True)
class BlockContract:
    """A block contract of the LA's in force on the day: places contracted and used, under its
    provider's labels (None: the provider is not on the provider register)."""

    contract_id: int
    contracted: int
    used: int
    provider: ProviderPlaces | None

    @property
    def unused(self) -> int:
        return max(self.contracted - self.used, 0)


def list_block_contracts(
    *, la_id: int, on: dt.date, providers: list[ProviderPlaces]
) -> list[BlockContract]:
    """The LA's block contracts in force on `on` with places contracted and used (the owner:
    `commissioning.contracts.list_block_places`), each with its provider's row of `providers`,
    or, for a provider the LA cannot otherwise use, the provider register's record."""
    blocks = list_block_places(la_id=la_id, on=on)
    known = {provider.organisation_id: provider for provider in providers}
    missing = {block.provider_id for block in blocks} - set(known)
    if missing:
        for provider in Provider.objects.filter(organisation_id__in=missing).prefetch_related(
            "sites"
        ):
            known[provider.organisation_id] = _provider_row(provider, placed=0)
    return [
        BlockContract(
            contract_id=block.contract_id,
            contracted=block.bought,
            used=block.used,
            provider=known.get(block.provider_id),
        )
        for block in blocks
    ]


def _provider_labels(provider: ProviderPlaces | None, dimension: str) -> list[str]:
    if provider is None:
        return [NOT_RECORDED] if dimension == "area" else []
    if dimension == "tier":
        return [f"Tier {tier}" for tier in provider.tiers]
    if dimension == "key_stage":
        return [stage for stage in provider.key_stages if stage in KeyStage.values]
    if dimension == "area":
        return [provider.area]
    return []  # a provider's offer records no need


# --- the page ---------------------------------------------------------------------------------


@dataclass
class Line:
    """One row of a breakdown: demand against capacity for one tier, key stage, area or need."""

    label: str
    awaiting: int = 0
    waits: list[int] = field(default_factory=list)
    misses: int = 0
    places: int = 0
    vacancies: int = 0
    providers: int = 0
    block_contracted: int = 0
    block_used: int = 0
    block_unused: int = 0

    @property
    def median_wait(self) -> Decimal | None:
        return median(self.waits)

    @property
    def p90_wait(self) -> int | None:
        return percentile(self.waits, 90)

    @property
    def started(self) -> int:
        return len(self.waits)


@dataclass(frozen=True)
class Term:
    label: str
    start: dt.date
    end: dt.date


def term_of(day: dt.date) -> Term:
    if day.month >= 9:
        return Term(f"Autumn {day.year}", dt.date(day.year, 9, 1), dt.date(day.year, 12, 31))
    if day.month <= 3:
        return Term(f"Spring {day.year}", dt.date(day.year, 1, 1), dt.date(day.year, 3, 31))
    return Term(f"Summer {day.year}", dt.date(day.year, 4, 1), dt.date(day.year, 8, 31))


def _shift(term: Term, steps: int) -> Term:
    """The term `steps` terms after (negative: before) `term`."""
    day = term.start
    for _ in range(abs(steps)):
        current = term_of(day)
        day = (
            current.end + dt.timedelta(days=1)
            if steps > 0
            else current.start - dt.timedelta(days=1)
        )
    return term_of(day)


@dataclass(frozen=True)
class Projection:
    terms: list[tuple[Term, int]]  # the last six whole terms and the current one so far
    next_term: Term
    projected: int
    method: str


def project_referrals(*, la_id: int, on: dt.date) -> Projection:
    """Referrals to the LA by term (by referred-on day), and next term's projection (see the
    module's rule)."""
    current = term_of(on)
    first = _shift(current, -6)
    referrals = (
        Referral.objects.filter(commissioning_la_id=la_id)
        .exclude(status=ReferralStatus.DRAFT)
        .annotate(submitted_at=_referred_on_q())
        .only("pk", "created_at")
    )
    counts: dict[dt.date, int] = defaultdict(int)
    for referral in referrals:
        day = _referred_on(referral)
        if first.start <= day <= on:
            counts[term_of(day).start] += 1
    terms = [(_shift(current, step), 0) for step in range(-6, 1)]
    terms = [(term, counts.get(term.start, 0)) for term, _ in terms]
    whole = [count for _, count in terms[:-1]]  # six whole terms, oldest first
    next_term = _shift(current, 1)
    same_last_year = counts.get(_shift(next_term, -3).start, 0)
    recent, year_before = sum(whole[3:]), sum(whole[:3])
    if year_before and same_last_year:
        projected = int(
            (Decimal(same_last_year) * recent / year_before).quantize(Decimal(1), ROUND_HALF_UP)
        )
        method = (
            f"{same_last_year} referrals in the same term last year, times {recent} in the last "
            f"three whole terms over {year_before} in the same terms a year earlier"
        )
    else:
        projected = whole[-1]
        method = "the last whole term's number (no referrals a year earlier to compare)"
    return Projection(terms=terms, next_term=next_term, projected=projected, method=method)


@dataclass(frozen=True)
class Sufficiency:
    on: dt.date
    window_start: dt.date
    awaiting: list[Waiting]
    waits: list[Wait]
    misses: list[Miss]
    providers: list[ProviderPlaces]
    blocks: list[BlockContract]
    breakdowns: dict[str, list[Line]]
    totals: Line
    projection: Projection


def _order(dimension: str) -> Callable[[Line], tuple[int, str]]:
    if dimension == "key_stage":
        order = {stage: n for n, stage in enumerate(KeyStage.values)}
        return lambda line: (order.get(line.label, 99), line.label)
    if dimension == "tier":
        return lambda line: (0, line.label)
    return lambda line: (-(line.awaiting + line.misses + line.started), line.label)


def get_sufficiency(*, la_id: int, on: dt.date) -> Sufficiency:
    """Demand against capacity for one LA on `on`, overall and by tier, key stage, area and need."""
    window_start = on - dt.timedelta(days=WINDOW_DAYS - 1)
    awaiting = list_awaiting_placement(la_id=la_id, on=on)
    waits = list_waits(la_id=la_id, start=window_start, end=on)
    misses = list_sixth_day_misses(la_id=la_id, start=window_start, end=on)
    providers = list_provider_places(la_id=la_id, on=on)
    blocks = list_block_contracts(la_id=la_id, on=on, providers=providers)
    breakdowns: dict[str, list[Line]] = {}
    for dimension, _title in DIMENSIONS:
        lines: dict[str, Line] = {}

        def line(label: str, lines: dict[str, Line] = lines) -> Line:
            return lines.setdefault(label, Line(label=label))

        if dimension == "tier":
            for tier in Tier.values:
                line(f"Tier {tier}")
        for row in awaiting:
            line(getattr(row, dimension)).awaiting += 1
        for wait in waits:
            line(getattr(wait, dimension)).waits.append(wait.days)
        for miss in misses:
            line(getattr(miss, dimension)).misses += 1
        for provider in providers:
            for label in _provider_labels(provider, dimension):
                target = line(label)
                target.providers += 1
                target.places += provider.places or 0
                target.vacancies += provider.vacancies or 0
        for block in blocks:
            for label in _provider_labels(block.provider, dimension):
                target = line(label)
                target.block_contracted += block.contracted
                target.block_used += block.used
                target.block_unused += block.unused
        breakdowns[dimension] = sorted(lines.values(), key=_order(dimension))
    totals = Line(
        label="All",
        awaiting=len(awaiting),
        waits=[wait.days for wait in waits],
        misses=len(misses),
        places=sum(p.places or 0 for p in providers),
        vacancies=sum(p.vacancies or 0 for p in providers),
        providers=len(providers),
        block_contracted=sum(block.contracted for block in blocks),
        block_used=sum(block.used for block in blocks),
        block_unused=sum(block.unused for block in blocks),
    )
    return Sufficiency(
        on=on,
        window_start=window_start,
        awaiting=awaiting,
        waits=waits,
        misses=misses,
        providers=providers,
        blocks=blocks,
        breakdowns=breakdowns,
        totals=totals,
        projection=project_referrals(la_id=la_id, on=on),
    )
