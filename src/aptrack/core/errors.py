"""The refusals every service raises, named once, and mapped once at each door.

Forms and API schemas check the shape of input; services check the domain's rules and, when a
rule refuses, raise one of these (through the app's own subclass, so call sites read as the
domain does: `ReferralInvalid`, `PanelNotAllowed`, `PlacementChangedElsewhere`):

- `DomainInvalid(errors)`: input the rules refuse. `errors` maps a field name, or None for the
  record as a whole, to messages. A page puts them on its form with `add_service_errors`; the API
  answers 400 with them (`api.errors`).
- `DomainForbidden`: the actor may not make this change (API 403).
- `DomainNotFound`: nothing the actor may see has that id (API 404).
- `DomainConflict`: the record's state does not allow the move, or someone changed it since it
  was read (`core.concurrency.RecordChangedElsewhere`) (API 409).
"""

from collections.abc import Mapping, Sequence
from typing import Any

Errors = dict[str | None, list[str]]


class DomainError(Exception):
    """A refusal with a message for the person who asked."""


class DomainInvalid(DomainError):
    """Input the domain's rules refuse; `errors` maps a field name (None: the whole record) to
    messages. A plain message is an error about the whole record."""

    def __init__(self, errors: Mapping[str | None, Sequence[str]] | str | None = None) -> None:
        if isinstance(errors, str):
            errors = {None: [errors]}
        self.errors: Errors = {field: list(messages) for field, messages in (errors or {}).items()}
        super().__init__("; ".join(self.messages()))

    def messages(self) -> list[str]:
        """Every message, each a field's named by the field: the refusal as one line of text."""
        return [
            f"{field}: {message}" if field else message
            for field, messages in self.errors.items()
            for message in messages
        ]


class DomainForbidden(DomainError):
    """The actor's role or organisation does not allow this."""


class DomainNotFound(DomainError):
    """Nothing the actor may see has that id (another organisation's records look missing)."""


class DomainConflict(DomainError):
    """The record's state does not allow this, or it changed since the actor read it."""


def add_service_errors(
    form: Any, error: DomainInvalid, *, fields: Mapping[str, str] | None = None
) -> None:
    """Put a service's refusal on the form that sent the input, so the GOV.UK error summary lists
    it: an error about a field the form has goes on that field (its message beside the input, its
    summary link to it), any other as one of the form's own errors, at the head of the summary.
    `fields` renames the service's field names to the form's where they differ."""
    names = fields or {}
    for field, messages in error.errors.items():
        target = names.get(field, field) if field else None
        if target not in form.fields:
            target = None
        for message in messages:
            form.add_error(target, message)
