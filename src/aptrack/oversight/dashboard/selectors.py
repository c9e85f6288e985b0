"""Reads for the dashboard's pages: the children of a drill-down as the user may see them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q, QuerySet

from aptrack.children.models import Child
from aptrack.children.permissions import scope_children
from aptrack.oversight.measures.base import Context, la_placements
from aptrack.placements.states import PlacementStatus

if TYPE_CHECKING:
    from aptrack.accounts.models import User


def visible_children(*, user: User, children: QuerySet[Child], ctx: Context) -> QuerySet[Child]:
    """The children behind a figure that the user may see, by name, each with the LA's placements
    that ran in the period (``period_placements``) for the list's provider column."""
    placements = (
        la_placements(ctx.la_id)
        .filter(
            Q(end_date__isnull=True) | Q(end_date__gte=ctx.period.start),
            start_date__lte=ctx.period.end,
        )
        .exclude(status=PlacementStatus.CANCELLED)
        .select_related("provider")
        .order_by("start_date", "pk")
    )
    return (
        children.filter(pk__in=scope_children(user).values("pk"))
        .select_related("home_school")
        .prefetch_related(Prefetch("placements", queryset=placements, to_attr="period_placements"))
        .order_by("legal_last_name", "legal_first_name", "pk")
    )
