"""Bounds every value from outside must keep, whichever way it comes in (pages, API, files).

One place for what the databases cannot store or count: text with a NUL character (PostgreSQL
refuses it; SQLite keeps it and cuts it off on the way out) or a lone surrogate (not Unicode,
so neither database driver can encode it), and whole numbers beyond the 64-bit integers every
id and count column holds. Checks return the reason or None, so callers name the field or row
and column themselves; `validate_text` and `validate_whole_number` are Django validators for
forms. The API's typed fields (`aptrack.api.types`) call the same checks.
"""

import re

from django.core.exceptions import ValidationError

# The largest value a bigint (every id) holds, and the smallest.
BIGINT_MAX = 2**63 - 1
BIGINT_MIN = -(2**63)

NUL_CHARACTER = "must not contain a NUL character (\\0)"
LONE_SURROGATE = "must be Unicode text: it holds a lone surrogate (\\u{code:04x})"
NUMBER_OUT_OF_RANGE = "must be a whole number from {low:,} to {high:,}"

_SURROGATE = re.compile("[\ud800-\udfff]")


def text_problem(value: str) -> str | None:
    """Why `value` cannot be stored as text, or None."""
    if "\x00" in value:
        return NUL_CHARACTER
    surrogate = _SURROGATE.search(value)
    if surrogate:
        return LONE_SURROGATE.format(code=ord(surrogate.group()))
    return None


def number_problem(value: int, *, low: int = BIGINT_MIN, high: int = BIGINT_MAX) -> str | None:
    """Why `value` cannot be stored in an integer column holding `low` to `high`, or None."""
    if low <= value <= high:
        return None
    return NUMBER_OUT_OF_RANGE.format(low=low, high=high)


def validate_text(value: object) -> None:
    """A form field validator: text the database can store."""
    if isinstance(value, str) and (problem := text_problem(value)):
        raise ValidationError(f"The text {problem}", code="unstorable_text")


def validate_whole_number(value: object) -> None:
    """A form field validator: a whole number a bigint column can hold."""
    if isinstance(value, int) and (problem := number_problem(value)):
        raise ValidationError(f"The number {problem}", code="out_of_range")
