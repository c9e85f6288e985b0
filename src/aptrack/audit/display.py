"""The audit trail as people read it: role names rather than codes, and each change as
"Field: old → new" whatever shape the recorded change has (outcome records keep plain values).
A field with choices reads as its label, a foreign key as the related record's name (looked up
once per page for each kind of record), or "(record N)" when it has no name or is gone."""

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import models

_ROLE_IN_LABEL = re.compile(r"\(([A-Z_]+)\)$")
EMPTY = "–"


def _role_labels() -> dict[str, str]:
    """The user model's role choices, read from the model so audit (which every app, accounts
    included, writes to) imports no app."""
    field = get_user_model()._meta.get_field("role")
    return {str(value): str(label) for value, label in field.flatchoices}


def actor_display(label: str) -> str:
    """ "officer (LA_OFFICER)" reads "officer (LA AP officer)"."""
    labels = _role_labels()
    return _ROLE_IN_LABEL.sub(lambda m: f"({labels.get(m.group(1), m.group(1))})", label or "")


RelatedNames = dict[tuple[type[models.Model], str], str]


def _value(
    value: Any, field: models.Field[Any, Any] | None = None, names: RelatedNames | None = None
) -> str:
    if value in (None, "", [], {}):
        return EMPTY
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        inner = getattr(field, "base_field", field)
        return ", ".join(_value(item, inner, names) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{_field(key)} {_value(item)}" for key, item in value.items())
    related = _related_model(field)
    if related is not None:
        return (names or {}).get((related, str(value)), f"(record {value})")
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def _related_model(field: models.Field[Any, Any] | None) -> type[models.Model] | None:
    """The model a relation field points at (resolved by now: never its declared "self")."""
    if field is None or not field.is_relation or not isinstance(field.related_model, type):
        return None
    return field.related_model


def _field(name: str, field: models.Field[Any, Any] | None = None) -> str:
    if field is not None and field.verbose_name:
        return str(field.verbose_name)[:1].upper() + str(field.verbose_name)[1:]
    return str(name).replace("_", " ").capitalize()


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _model_field(model: type[models.Model] | None, name: str) -> models.Field[Any, Any] | None:
    """The audited model's field a change key names (its name or, for a foreign key, its
    attname such as `local_authority_id`)."""
    if model is None:
        return None
    for candidate in (name, name.removesuffix("_id")):
        try:
            field = model._meta.get_field(candidate)
        except FieldDoesNotExist:
            continue
        if (
            isinstance(field, models.Field)
            and field.concrete
            and (candidate == name or field.is_relation)
        ):
            return field
    return None


def change_lines(
    changes: Any, model: type[models.Model] | None = None, names: RelatedNames | None = None
) -> list[str]:
    """One line per changed field: "Field: old → new", or "Field: value" when only the value
    was recorded; with the audited `model`, in its labels (see `trail_change_lines`)."""
    if not isinstance(changes, dict):
        return [] if changes in (None, "", []) else [_value(changes)]
    lines = []
    for key, change in changes.items():
        field = _model_field(model, str(key))
        label = _field(key, field)
        if isinstance(change, dict) and set(change) <= {"old", "new"} and change:
            old, new = (
                _value(change.get("old"), field, names),
                _value(change.get("new"), field, names),
            )
            lines.append(f"{label}: {old} → {new}")
        else:
            lines.append(f"{label}: {_value(change, field, names)}")
    return lines


def _related_ids(
    changes: Any, model: type[models.Model] | None
) -> Iterable[tuple[type[models.Model], Any]]:
    if model is None or not isinstance(changes, dict):
        return
    for key, change in changes.items():
        related = _related_model(_model_field(model, str(key)))
        if related is None:
            continue
        values = [change.get("old"), change.get("new")] if isinstance(change, dict) else [change]
        for value in values:
            for item in value if isinstance(value, list) else [value]:
                if item not in (None, "") and not isinstance(item, dict | bool):
                    yield related, item


def _related_names(wanted: dict[type[models.Model], set[Any]]) -> RelatedNames:
    """One query per kind of related record, and only for kinds that have a name."""
    names: RelatedNames = {}
    for related, ids in wanted.items():
        try:
            related._meta.get_field("name")
        except FieldDoesNotExist:
            continue
        try:
            rows = related._base_manager.filter(pk__in=ids).values_list("pk", "name")
            names.update({(related, str(pk)): str(name) for pk, name in rows if name})
        except (ValueError, TypeError):  # a recorded id of the wrong shape reads as "(record N)"
            continue
    return names


def trail_change_lines(events: Iterable[Any]) -> dict[Any, list[str]]:
    """Each event's change lines by its pk, in the audited model's labels and related names."""
    events = list(events)
    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    for event in events:
        for related, pk in _related_ids(event.changes, _model(event.object_type)):
            wanted[related].add(pk)
    names = _related_names(wanted)
    return {
        event.pk: change_lines(event.changes, _model(event.object_type), names) for event in events
    }
