"""Who may prepare an LA's AP census: its LA officers and managers. Another LA's census is a
404 (see views), as if it did not exist."""

from aptrack.accounts.models import User
from aptrack.accounts.roles import CHILD_EDITOR_ROLES

CENSUS_ROLES = CHILD_EDITOR_ROLES


def own_la_id(user: User) -> int | None:
    """The LA whose census this user prepares, or None if they may not prepare one."""
    if (
        not getattr(user, "is_authenticated", False)
        or getattr(user, "role", None) not in CENSUS_ROLES
    ):
        return None
    return user.organisation.local_authority_id if user.organisation else None


def can_prepare_census(user: User) -> bool:
    return own_la_id(user) is not None
