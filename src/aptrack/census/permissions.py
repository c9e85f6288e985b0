"""Who may prepare an LA's AP census: its LA officers and managers. Another LA's census is a
404 (see views), as if it did not exist."""

from aptrack.accounts.roles import CHILD_EDITOR_ROLES

CENSUS_ROLES = CHILD_EDITOR_ROLES


def own_la_id(user: object) -> int | None:
    """The LA whose census this user prepares, or None if they may not prepare one."""
    if (
        not getattr(user, "is_authenticated", False)
        or getattr(user, "role", None) not in CENSUS_ROLES
    ):
        return None
    organisation = getattr(user, "organisation", None)
    return getattr(organisation, "local_authority_id", None) if organisation else None


def can_prepare_census(user: object) -> bool:
    return own_la_id(user) is not None
