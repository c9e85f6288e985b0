"""Optimistic concurrency: of two people who open the same record and save it, the second is
told, not silently written over the first.

An edited model carries `version` (a positive integer, 1 when created, one more on each save).
An edit form carries the version its editor loaded, as a required hidden field
(`versioned(SomeForm)`); an API update carries it in its body. The service re-reads the row
for update inside its transaction with `lock_version`, which refuses a version that is not the
row's current one; the view shows that refusal in the error summary. A missing or malformed
version is a form error (an API 400), never a save and never a 500.
"""

from typing import Any, TypeVar

from django import forms
from django.db import models

from aptrack.core.errors import DomainConflict

RECORD_CHANGED = (
    "Someone else changed this record while you were editing it, so your changes have not been "
    "saved. Reload the page to see it as it is now, then make your changes again"
)
VERSION_MISSING = (
    "This form is incomplete or out of date, so nothing has been saved. Reload the page and "
    "make your changes again"
)
# PositiveIntegerField's range on every database.
MAX_VERSION = 2_147_483_647


class RecordChangedElsewhere(DomainConflict):
    """The record's version is not the one the editor loaded: someone else saved it since (the
    API answers 409)."""

    def __init__(self, message: str = RECORD_CHANGED) -> None:
        super().__init__(message)


M = TypeVar("M", bound=models.Model)


def lock_version(
    model: type[M],
    *,
    pk: Any,
    expected_version: int,
    error: type[RecordChangedElsewhere] = RecordChangedElsewhere,
    message: str = RECORD_CHANGED,
) -> M:
    """The row, locked for update until the transaction ends, if it is still at
    `expected_version`; otherwise `error`. Call inside `transaction.atomic()`, then save the row
    with `version + 1`. The lock makes two simultaneous saves queue, so the second sees the
    first's version (SQLite locks the whole database on write instead)."""
    locked = model._default_manager.select_for_update().get(pk=pk)
    if locked.version != expected_version:  # type: ignore[attr-defined]
        raise error(message)
    return locked


class VersionedForm(forms.Form):
    """Adds the required hidden `version` to an edit form. Its errors are the form's own (they
    head the error summary): a hidden field has nowhere on the page to show one."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        max_value=MAX_VERSION,
        error_messages=dict.fromkeys(
            ("required", "invalid", "min_value", "max_value"), VERSION_MISSING
        ),
    )

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        if "version" in self.errors:
            messages = self.errors.pop("version")
            for message in messages:
                self.add_error(None, message)
        return cleaned


F = TypeVar("F", bound=forms.BaseForm)


# Each form's edit form, made once (a dict rather than functools.cache, whose wrapper loses the
# form's type for the caller).
_EDIT_FORMS: dict[type[forms.BaseForm], type[Any]] = {}


def versioned(form_class: type[F]) -> type[F]:
    """The edit form of `form_class`: the same fields plus the required hidden version."""
    if form_class not in _EDIT_FORMS:
        _EDIT_FORMS[form_class] = type(
            f"Versioned{form_class.__name__}", (VersionedForm, form_class), {}
        )
    return _EDIT_FORMS[form_class]


class VersionMissing(Exception):
    """A button's POST (no other fields) without a well-formed version."""

    def __init__(self, message: str = VERSION_MISSING) -> None:
        super().__init__(message)


def posted_version(data: Any) -> int:
    """The version a plain button's POST carries, checked as the edit forms check it."""
    try:
        return int(VersionedForm.base_fields["version"].clean(data.get("version")))
    except forms.ValidationError as error:
        raise VersionMissing() from error
