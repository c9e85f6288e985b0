"""The API's bounded input types: every value a request sends fits the column it is stored in
or compared with, or is refused as a 422 naming the field (the checks are `core.validators`).

- `Input`, the base of every request body: text without NUL characters or lone surrogates and
  whole numbers a bigint holds, in every field, with no field forgetting to say so;
- `Id`, `Text` and `SmallInt` for path and query parameters;
- `column_decimal`, a decimal with the digits of the model column it is saved in;
- `Page`, limit-and-offset pagination with a largest page (`MAX_PAGE`) for every list.
"""

from decimal import Decimal
from typing import Annotated, Any

from django.db import models
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import AfterValidator, field_validator

from aptrack.core import validators

MAX_PAGE = 1000  # a provider MIS or an LA system reads a whole roll in one page; audit records each page in one insert
DEFAULT_PAGE = 100


def _storable(value: Any) -> Any:
    """Refuse text and whole numbers no column can hold (a ValueError names the field)."""
    if isinstance(value, str) and (problem := validators.text_problem(value)):
        raise ValueError(f"The text {problem}")
    is_number = isinstance(value, int) and not isinstance(value, bool)
    if is_number and (problem := validators.number_problem(value)):
        raise ValueError(f"The number {problem}")
    if isinstance(value, list | tuple):
        for item in value:
            _storable(item)
    return value


class Input(Schema):
    """A request body whose every field is checked by `_storable`."""

    @field_validator("*", mode="after")
    @classmethod
    def _storable_field(cls, value: Any) -> Any:
        return _storable(value)


Id = Annotated[int, Field(ge=1, le=validators.BIGINT_MAX)]
Text = Annotated[str, AfterValidator(_storable)]
SmallInt = Annotated[int, Field(ge=0, le=32_767)]


def column_decimal(model: type[models.Model], name: str, *, ge: int | None = 0) -> Any:
    """A decimal with no more digits, nor places, than the model's column keeps."""
    column = model._meta.get_field(name)
    assert isinstance(column, models.DecimalField)
    return Annotated[
        Decimal,
        Field(ge=ge, max_digits=column.max_digits, decimal_places=column.decimal_places),
    ]


class Page(LimitOffsetPagination):
    """Limit and offset, with at most MAX_PAGE items a page."""

    class Input(Schema):
        limit: int = Field(
            DEFAULT_PAGE, ge=1, le=MAX_PAGE, description=f"Items a page: 1 to {MAX_PAGE}"
        )
        offset: int = Field(
            0,
            ge=0,
            le=validators.BIGINT_MAX - MAX_PAGE,
            description="Items to skip, from 0",
        )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_PAGE, **kwargs)
