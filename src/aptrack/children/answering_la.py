"""Which LA answers for a placement: the LA that commissions it or, when a school commissions
it, the LA the child lives in (docs/rules.md, "The LA's placements"). Written over the
placement's fields (`commissioning_la`, `child`), with a prefix to reach them from another
model (the child's `placements__`), so children's scoping reads the one rule without importing
placements; `placements.rules` builds the rest of the placement rules on it."""

from collections.abc import Collection

from django.db.models import IntegerField, Q
from django.db.models.functions import Coalesce

from aptrack.children.models import Child


def answering_la() -> Coalesce:
    """The LA that answers for a placement, as an expression: see `la_placements_q`."""
    return Coalesce("commissioning_la_id", "child__home_la_id", output_field=IntegerField())


def la_placements_q(la_id: int | None, *, prefix: str = "") -> Q:
    """The placements an LA answers for: those it commissions, and those a school commissions
    for a child who lives in the LA.

    The commissioner (LA or school) holds oversight of the AP it uses, and schools tell the LA
    whenever they commission AP so that the LA keeps oversight of sufficiency and safeguarding
    (*Arranging alternative provision*, 2025, domain.md §1); LAs unaware of placements is a
    failing the thematic review names (seed 002). A placement another LA commissions for a
    child living here is that LA's. Written as two conditions rather than as `answering_la()`,
    which says the same, so PostgreSQL finds the LA's rows by index."""
    return las_placements_q([la_id], prefix=prefix)


def las_placements_q(la_ids: Collection[int | None], *, prefix: str = "") -> Q:
    """`la_placements_q` for several LAs at once."""
    ids = list(la_ids)
    # The LAs' children as a subquery rather than a join: PostgreSQL then finds the LA's own
    # commissions by index and checks the few school commissions against one hashed list.
    lives_here = Child.objects.filter(home_la_id__in=ids).values("pk")
    return Q(**{f"{prefix}commissioning_la_id__in": ids}) | Q(
        **{f"{prefix}commissioning_la__isnull": True, f"{prefix}child_id__in": lives_here}
    )


def child_la_placements_q(la_id: int | None, child: Child) -> Q:
    """`la_placements_q` among the placements of one child in hand: the LA's own commissions,
    and the schools' commissions when the child lives in the LA. The same rule, with the
    child's home LA known, so a child's record does not ask PostgreSQL for every child of the
    LA to test a few placements."""
    commissioned = Q(commissioning_la_id=la_id)
    if la_id is None or child.home_la_id != la_id:
        return commissioned
    return commissioned | Q(commissioning_la__isnull=True)
