"""The exceptions placement services raise. `errors` maps a field name (or None, for the
whole placement) to user-facing messages."""

from aptrack.core.concurrency import RecordChangedElsewhere

Errors = dict[str | None, list[str]]


class PlacementInvalid(Exception):
    """Input the placement cannot take; `errors` maps a field name (or None) to messages."""

    def __init__(self, errors: Errors) -> None:
        super().__init__("; ".join(f"{k or 'placement'}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


class ProviderNotApproved(PlacementInvalid):
    """The commissioning LA has paused or refused new placements with the provider."""


class ProviderNotCompliant(PlacementInvalid):
    """The provider's compliance evidence is missing or out of date, and no manager overrode it."""


class ReviewInvalid(PlacementInvalid):
    pass


class PlacementChangedElsewhere(RecordChangedElsewhere):
    pass


class PlacementMoveNotAllowed(Exception):
    pass
