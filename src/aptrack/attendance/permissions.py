"""Who may record and see attendance. Children come from `scope_children`, the one place that
decides which children a user sees; marks narrow that further for providers."""

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from aptrack.accounts.roles import LA_ROLES, Role
from aptrack.attendance.models import AttendanceMark
from aptrack.attendance.scopes import Scope
from aptrack.children.permissions import scope_children

if TYPE_CHECKING:
    from aptrack.accounts.models import User


def provider_of(user: "User") -> int | None:
    """The provider organisation a member of provider staff records marks for."""
    organisation = getattr(user, "organisation", None)
    if getattr(user, "role", None) != Role.PROVIDER_STAFF or organisation is None:
        return None
    return organisation.pk if organisation.kind == "PROVIDER" else None


def can_record_marks(user: "User") -> bool:
    """Provider staff keep their own register; nobody else records marks."""
    return provider_of(user) is not None


def scope_marks(user: "User") -> QuerySet[AttendanceMark]:
    """Marks this user may see: those of children in their scope; provider staff see only the
    marks of placements with their own provider, not what another setting recorded."""
    marks = AttendanceMark.objects.filter(placement__child__in=scope_children(user).values("pk"))
    if getattr(user, "role", None) == Role.PROVIDER_STAFF:
        marks = marks.filter(placement__provider_id=getattr(user, "organisation_id", None))
    return marks


def measures_scope(user: "User") -> Scope | None:
    """The aggregate measures a user may see: an LA's own, or a provider's own."""
    provider_id = provider_of(user)
    if provider_id is not None:
        return Scope.provider(provider_id)
    organisation = getattr(user, "organisation", None)
    if (
        getattr(user, "role", None) in LA_ROLES
        and organisation is not None
        and organisation.local_authority_id
    ):
        return Scope.la(organisation.local_authority_id)
    return None
