"""Who sees and manages an LA's contracts, and what a contract's page reads: its rates in force
and past, and a block contract's utilisation (places used of places bought; for all the LA's
block contracts at once, `list_block_places`, which the sufficiency page reads). Counts only: no
child is named here."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from aptrack.accounts.models import User
from aptrack.accounts.roles import Role
from aptrack.commissioning.models import Contract, Rate
from aptrack.commissioning.states import ContractKind
from aptrack.placements.rules import running_on_q

MANAGERS = frozenset({Role.LA_OFFICER, Role.LA_MANAGER})
VIEWERS = MANAGERS | {Role.LA_FINANCE}


def contracts_la_of(user: User) -> int | None:
    """The LA whose contracts the user sees: LA officers, managers and finance officers."""
    if getattr(user, "role", None) not in VIEWERS:
        return None
    return user.organisation.local_authority_id if user.organisation else None


def can_view_contracts(user: User) -> bool:
    return contracts_la_of(user) is not None


def can_manage_contracts(user: User) -> bool:
    return can_view_contracts(user) and getattr(user, "role", None) in MANAGERS


def scope_contracts(user: User) -> QuerySet[Contract]:
    la_id = contracts_la_of(user)
    if la_id is None:
        return Contract.objects.none()
    return Contract.objects.filter(local_authority_id=la_id)


@dataclass(frozen=True)
class Utilisation:
    """A block contract's places bought and places used on a day."""

    bought: int
    used: int

    @property
    def free(self) -> int:
        return max(self.bought - self.used, 0)


def _with_places_used(contracts: QuerySet[Contract], *, on: dt.date) -> QuerySet[Any]:
    """Each contract with `used`: its placements (`PlacementTerms`) running on the day
    (`placements.rules.running_on_q`)."""
    return contracts.annotate(
        used=Count("placements", filter=running_on_q(on, prefix="placements__placement__"))
    )


def block_utilisation(contract: Contract, *, on: dt.date) -> Utilisation | None:
    """Places used on a block contract on a day: its placements (`PlacementTerms`) running that
    day (`placements.rules.running_on_q`), against the places bought. None for other kinds."""
    if contract.kind != ContractKind.BLOCK or not contract.places:
        return None
    used = _with_places_used(Contract.objects.filter(pk=contract.pk), on=on).values("used")
    return Utilisation(bought=contract.places, used=used[0]["used"])


@dataclass(frozen=True)
class BlockPlaces:
    """A block contract in force on a day, with its places bought and used that day."""

    contract_id: int
    provider_id: int  # the provider's organisation
    bought: int
    used: int

    @property
    def free(self) -> int:
        return max(self.bought - self.used, 0)


def list_block_places(*, la_id: int, on: dt.date) -> list[BlockPlaces]:
    """The LA's block contracts in force on the day (started by it, not ended before it), each
    with its places bought and used (`block_utilisation`'s rule, counted for all at once)."""
    contracts = Contract.objects.filter(
        local_authority_id=la_id,
        kind=ContractKind.BLOCK,
        places__gt=0,
        start_date__lte=on,
        end_date__gte=on,
    )
    return [
        BlockPlaces(
            contract_id=row["pk"],
            provider_id=row["provider_id"],
            bought=row["places"],
            used=row["used"],
        )
        for row in _with_places_used(contracts, on=on)
        .order_by("pk")
        .values("pk", "provider_id", "places", "used")
    ]


@dataclass(frozen=True)
class RateRow:
    rate: Rate
    in_force: bool


def list_rates(contract: Contract, *, on: dt.date) -> list[RateRow]:
    """The contract's rates, newest first, each marked in force on the day or not (past or
    future): in force when effective on or before the day, not ended before it, and the latest
    such for its lot, unit and transport flag."""
    rates = list(
        Rate.objects.filter(contract=contract)
        .select_related("lot")
        .order_by("-effective_from", "-pk")
    )
    seen: set[tuple[int | None, str, bool]] = set()
    rows = []
    for rate in rates:
        key = (rate.lot_id, rate.unit, rate.is_transport)
        live = (
            rate.effective_from <= on
            and (rate.effective_to is None or rate.effective_to >= on)
            and key not in seen
        )
        if live:
            seen.add(key)
        rows.append(RateRow(rate=rate, in_force=live))
    return rows
