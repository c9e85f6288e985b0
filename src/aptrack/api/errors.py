"""How the API answers a refusal, for every endpoint: the handlers are registered once on the
NinjaAPI (`register`), so an endpoint calls its service and lets a `core.errors` refusal rise.

- `DomainInvalid` → 400 `{"detail": <summary>, "errors": {<field>: [<message>, ...]}}`, the
  fields named as the request names them (`name_refusals`);
- `DomainForbidden` → 403, `DomainNotFound` → 404, `DomainConflict` → 409 (a move the record's
  state does not allow, or a stale `version`): `{"detail": <message>}`;
- a body the schema refuses stays django-ninja's 422, naming each field.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema

from aptrack.core.errors import (
    DomainConflict,
    DomainError,
    DomainForbidden,
    DomainInvalid,
    DomainNotFound,
)


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


@dataclass(frozen=True)
class Naming:
    """How one kind of refusal reads in the API: its summary line, the name errors about the
    whole record go under, and the request's names for the service's fields."""

    detail: str = "The request was not accepted"
    record: str = "record"
    fields: Mapping[str, str] = field(default_factory=dict)


_NAMINGS: dict[type[DomainInvalid], Naming] = {}


def name_refusals(
    error_class: type[DomainInvalid],
    *,
    detail: str,
    record: str,
    fields: Mapping[str, str] | None = None,
) -> None:
    """Say how `error_class` (and its subclasses, unless named too) reads in a 400 answer."""
    _NAMINGS[error_class] = Naming(detail=detail, record=record, fields=fields or {})


def _naming(error: DomainInvalid) -> Naming:
    for cls in type(error).__mro__:
        if cls in _NAMINGS:
            return _NAMINGS[cls]
    return Naming()


def invalid_body(error: DomainInvalid) -> dict[str, object]:
    naming = _naming(error)
    errors: dict[str, list[str]] = {}
    for name, messages in error.errors.items():
        errors.setdefault(naming.fields.get(name, name) if name else naming.record, []).extend(
            messages
        )
    return {"detail": naming.detail, "errors": errors}


def _invalid(api: NinjaAPI, request: HttpRequest, error: DomainInvalid) -> HttpResponse:
    return api.create_response(request, invalid_body(error), status=400)


def _refused(status: int, api: NinjaAPI, request: HttpRequest, error: DomainError) -> HttpResponse:
    return api.create_response(request, {"detail": str(error)}, status=status)


def register(api: NinjaAPI) -> None:
    """Answer every endpoint's domain refusals the same way."""
    handlers: dict[type[Exception], Callable[..., HttpResponse]] = {
        DomainInvalid: _invalid,
        DomainForbidden: partial(_refused, 403),
        DomainNotFound: partial(_refused, 404),
        DomainConflict: partial(_refused, 409),
    }
    for error_class, handler in handlers.items():
        api.add_exception_handler(error_class, partial(handler, api))
