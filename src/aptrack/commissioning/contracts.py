"""Who sees and manages an LA's contracts, and what a contract's page reads: its rates in force
and past, and a block contract's utilisation (places used of places bought). Counts only: no
child is named here."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from aptrack.accounts.roles import Role
from aptrack.commissioning.models import Contract, PlacementTerms, Rate
from aptrack.commissioning.states import ContractKind
from aptrack.placements.rules import running_on_q

MANAGERS = frozenset({Role.LA_OFFICER, Role.LA_MANAGER})
VIEWERS = MANAGERS | {Role.LA_FINANCE}


def contracts_la_of(user: object) -> int | None:
    """The LA whose contracts the user sees: LA officers, managers and finance officers."""
    if getattr(user, "role", None) not in VIEWERS:
        return None
    organisation = getattr(user, "organisation", None)
    return getattr(organisation, "local_authority_id", None)


def can_view_contracts(user: object) -> bool:
    return contracts_la_of(user) is not None


def can_manage_contracts(user: object) -> bool:
    return can_view_contracts(user) and getattr(user, "role", None) in MANAGERS


def scope_contracts(user: object) -> QuerySet[Contract]:
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


def block_utilisation(contract: Contract, *, on: dt.date) -> Utilisation | None:
    """Places used on a block contract on a day: its placements (`PlacementTerms`) running that
    day (`placements.rules.running_on_q`), against the places bought. None for other kinds."""
    if contract.kind != ContractKind.BLOCK or not contract.places:
        return None
    used = PlacementTerms.objects.filter(
        running_on_q(on, prefix="placement__"), contract=contract
    ).count()
    return Utilisation(bought=contract.places, used=used)


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
