"""The exceptions every quality service may raise."""

from django.core.exceptions import PermissionDenied

from aptrack.core.concurrency import RecordChangedElsewhere


class NotAllowed(PermissionDenied):
    """The actor's role or organisation does not allow this change."""


class QualityInvalid(Exception):
    """Input QA cannot take. `errors` maps a field name (or None) to messages;
    `standard_errors` maps a standard's id to messages about its judgement."""

    def __init__(
        self,
        errors: dict[str | None, list[str]] | None = None,
        standard_errors: dict[int, list[str]] | None = None,
    ) -> None:
        self.errors = errors or {}
        self.standard_errors = standard_errors or {}
        messages = [m for ms in self.errors.values() for m in ms]
        messages += [m for ms in self.standard_errors.values() for m in ms]
        super().__init__("; ".join(messages))


class ChangedElsewhere(RecordChangedElsewhere):
    pass


class MoveNotAllowed(Exception):
    pass
