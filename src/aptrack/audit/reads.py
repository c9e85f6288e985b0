"""Reads of children by a request: the page or endpoint, the user and the clock taken from it,
then one call to `services.record_reads`. Views call this after loading what they show."""

from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from aptrack.audit import services
from aptrack.audit.models import Channel


def record_reads(
    request: HttpRequest,
    *,
    children: Any | Iterable[Any],
    search_term: str = "",
    channel: Channel = Channel.WEB,
) -> int:
    """Record each child (object, id, or queryset of children) the response shows."""
    return services.record_reads(
        actor=request.user,
        at=timezone.now(),
        channel=channel,
        children=children,
        where=request.path,
        search_term=search_term,
    )
