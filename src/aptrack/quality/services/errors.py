"""The exceptions every quality service may raise."""

from django.core.exceptions import PermissionDenied

from aptrack.core.concurrency import RecordChangedElsewhere
from aptrack.core.errors import DomainConflict, DomainForbidden, DomainInvalid


class NotAllowed(DomainForbidden, PermissionDenied):
    """The actor's role or organisation does not allow this change (a page answers 403)."""


class QualityInvalid(DomainInvalid):
    """Input QA cannot take. `errors` maps a field name (or None) to messages;
    `standard_errors` maps a standard's id to messages about its judgement."""

    def __init__(
        self,
        errors: dict[str | None, list[str]] | None = None,
        standard_errors: dict[int, list[str]] | None = None,
    ) -> None:
        self.standard_errors = standard_errors or {}
        super().__init__(errors)

    def messages(self) -> list[str]:
        return super().messages() + [m for ms in self.standard_errors.values() for m in ms]


class ChangedElsewhere(RecordChangedElsewhere):
    pass


class MoveNotAllowed(DomainConflict):
    """The move is not one the record's status allows."""
