"""Who may see and change which placement. Every page and API path starts from
`scope_placements(user)`: a placement is visible when its child is in the user's scope, and
provider staff see only the placements with their own provider."""

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from aptrack.accounts.roles import Role
from aptrack.children.permissions import read_through_scope, scope_children
from aptrack.placements.models import Placement

if TYPE_CHECKING:
    from aptrack.accounts.models import User
    from aptrack.children.models import Child

READER_ROLES = frozenset(
    {
        Role.LA_OFFICER,
        Role.LA_MANAGER,
        Role.PROVIDER_STAFF,
        Role.SCHOOL_STAFF,
        Role.SOCIAL_WORKER,
        Role.VIRTUAL_SCHOOL_HEAD,
    }
)
CASEWORKER_ROLES = frozenset({Role.LA_OFFICER, Role.LA_MANAGER})
# Schools commission tier 1 work themselves (and tell the LA); LAs commission the rest.
PLANNER_ROLES = CASEWORKER_ROLES | {Role.SCHOOL_STAFF}
# Referrals, panel decisions and reviews are the commissioners' business: provider staff read
# the plan, outcomes and Person Passport only.
TIMELINE_ROLES = READER_ROLES - {Role.PROVIDER_STAFF}


def _role(user: "User") -> str | None:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "organisation_id", None):
        return None
    return getattr(user, "role", None)


def _user_la_id(user: "User") -> int | None:
    return user.organisation.local_authority_id if user.organisation else None


def scope_placements(user: "User", *, child: "Child | None" = None) -> QuerySet[Placement]:
    """The placements this user sees; with `child`, only that child's."""
    role = _role(user)
    if role not in READER_ROLES:
        return Placement.objects.none()
    if child is not None and read_through_scope(user, child):
        # The child was read through this user's scope in this request: no need to ask again.
        placements = Placement.objects.filter(child=child)
    else:
        placements = Placement.objects.filter(child__in=scope_children(user))
        if child is not None:
            placements = placements.filter(child=child)
    if role == Role.PROVIDER_STAFF:
        placements = placements.filter(provider_id=user.organisation_id)
    return placements


def can_view_placements(user: "User") -> bool:
    return _role(user) in READER_ROLES


def can_create_placement(user: "User") -> bool:
    return _role(user) in PLANNER_ROLES


def can_change_placement(user: "User", placement: Placement) -> bool:
    """The commissioner changes the plan, records reviews, ends it and follows up: LA
    caseworkers of the commissioning LA, or staff of the commissioning school."""
    role = _role(user)
    if role in CASEWORKER_ROLES:
        return (
            placement.commissioning_la_id is not None
            and placement.commissioning_la_id == _user_la_id(user)
        )
    if role == Role.SCHOOL_STAFF:
        return (
            placement.commissioning_school_id is not None
            and placement.commissioning_school_id == user.organisation_id
        )
    return False


def can_download_agreement(user: "User", placement: Placement) -> bool:
    """The individual service agreement: for the LA's caseworkers and the provider (within
    `scope_placements`), and the school that commissioned it; once the placement has started."""
    if placement.status not in ("ACTIVE", "ENDED"):
        return False
    role = _role(user)
    return role in CASEWORKER_ROLES | {Role.PROVIDER_STAFF} or can_change_placement(user, placement)


def can_see_reviews(user: "User") -> bool:
    """Reviews, follow-ups and the event history: everyone who reads placements but provider staff."""
    return _role(user) in TIMELINE_ROLES


def can_view_timeline(user: "User") -> bool:
    return _role(user) in TIMELINE_ROLES


def can_use_caseworker_home(user: "User") -> bool:
    return _role(user) in CASEWORKER_ROLES
