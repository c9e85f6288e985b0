"""Who may see and record which outcomes.

A placement's outcomes are seen by whoever may see the placement (`scope_placements`, which
starts from `scope_children`); follow-ups stay with the roles that see reviews. They are
recorded by the commissioner (as for the plan) and by staff of the placement's own provider,
who teach the child and assess progress. Outreach is the LA's record of tier 1 work in schools:
its LA officers and managers keep it."""

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from aptrack.accounts.roles import Role
from aptrack.placements import permissions as placement_permissions
from aptrack.placements.models import Placement

if TYPE_CHECKING:
    from aptrack.accounts.models import User

LA_ROLES = frozenset({Role.LA_OFFICER, Role.LA_MANAGER})


def _role(user: "User") -> str | None:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "organisation_id", None):
        return None
    return getattr(user, "role", None)


def scope_placements(user: "User") -> QuerySet[Placement]:
    return placement_permissions.scope_placements(user)


def can_view_outcomes(user: "User") -> bool:
    return placement_permissions.can_view_placements(user)


def can_see_follow_ups(user: "User") -> bool:
    return placement_permissions.can_see_reviews(user)


def can_record_outcomes(user: "User", placement: Placement) -> bool:
    if _role(user) == Role.PROVIDER_STAFF:
        return placement.provider_id == user.organisation_id
    return placement_permissions.can_change_placement(user, placement)


def outreach_la_id(user: "User") -> int | None:
    """The LA whose outreach the user keeps, or None when they keep none."""
    if _role(user) not in LA_ROLES:
        return None
    return user.organisation.local_authority_id if user.organisation else None
