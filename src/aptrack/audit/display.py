"""The audit trail as people read it: role names rather than codes, and each change as
"Field: old → new" whatever shape the recorded change has (outcome records keep plain values)."""

import re
from typing import Any

from aptrack.accounts.roles import Role

_ROLE_IN_LABEL = re.compile(r"\(([A-Z_]+)\)$")
ROLE_LABELS = {value: str(label) for value, label in Role.choices}
EMPTY = "–"


def actor_display(label: str) -> str:
    """"officer (LA_OFFICER)" reads "officer (LA AP officer)"."""
    return _ROLE_IN_LABEL.sub(lambda m: f"({ROLE_LABELS.get(m.group(1), m.group(1))})", label or "")


def _value(value: Any) -> str:
    if value in (None, "", [], {}):
        return EMPTY
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(_value(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{_field(key)} {_value(item)}" for key, item in value.items())
    return str(value)


def _field(name: str) -> str:
    return str(name).replace("_", " ").capitalize()


def change_lines(changes: Any) -> list[str]:
    """One line per changed field: "Field: old → new", or "Field: value" when only the value
    was recorded."""
    if not isinstance(changes, dict):
        return [] if changes in (None, "", []) else [_value(changes)]
    lines = []
    for field, change in changes.items():
        if isinstance(change, dict) and set(change) <= {"old", "new"} and change:
            lines.append(f"{_field(field)}: {_value(change.get('old'))} → {_value(change.get('new'))}")
        else:
            lines.append(f"{_field(field)}: {_value(change)}")
    return lines
