"""API lists record every child they return, through the audit trail's one door for reads."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest

from aptrack.audit import reads
from aptrack.audit.models import Channel


def records_reads(child_of: Callable[[Any], Any] = lambda item: item) -> Callable[[Any], Any]:
    """Put above `@paginate`: after the page is cut, each child on it is recorded as read, with
    the endpoint and the `q` search, in one insert. `child_of` maps an item to its child (or
    child id)."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def audited(request: HttpRequest, **kwargs: Any) -> Any:
            result = view(request, **kwargs)
            items = result.get("items", []) if isinstance(result, dict) else []
            reads.record_reads(
                request,
                children=[child_of(item) for item in items],
                search_term=kwargs.get("q") or "",
                channel=Channel.API,
            )
            return result

        return audited

    return decorate
