"""The exceptions placement services raise. `errors` maps a field name (or None, for the
whole placement) to user-facing messages."""

from aptrack.core.concurrency import RecordChangedElsewhere
from aptrack.core.errors import DomainConflict, DomainInvalid, Errors

__all__ = [
    "Errors",
    "PlacementChangedElsewhere",
    "PlacementInvalid",
    "PlacementMoveNotAllowed",
    "ProviderNotApproved",
    "ProviderNotCompliant",
    "ReviewInvalid",
]


class PlacementInvalid(DomainInvalid):
    """Input the placement cannot take; `errors` maps a field name (or None) to messages."""


class ProviderNotApproved(PlacementInvalid):
    """The commissioning LA has paused or refused new placements with the provider."""


class ProviderNotCompliant(PlacementInvalid):
    """The provider's compliance evidence is missing or out of date, and no manager overrode it."""


class ReviewInvalid(PlacementInvalid):
    pass


class PlacementChangedElsewhere(RecordChangedElsewhere):
    pass


class PlacementMoveNotAllowed(DomainConflict):
    """The move is not one the placement's status allows (the API answers 409)."""
