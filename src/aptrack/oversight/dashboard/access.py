"""Who may see an LA's oversight dashboard: the LA's officers, managers and QA leads, for their
own LA only. Which children the drill-down lists is still `scope_children`'s decision."""

from aptrack.accounts.roles import Role
from aptrack.organisations.models import LocalAuthority

DASHBOARD_ROLES = frozenset({Role.LA_MANAGER, Role.LA_OFFICER, Role.QA_LEAD})


def dashboard_la(user: object) -> LocalAuthority | None:
    """The LA whose dashboard the user may see, or None."""
    if (
        not getattr(user, "is_authenticated", False)
        or getattr(user, "role", None) not in DASHBOARD_ROLES
    ):
        return None
    organisation = getattr(user, "organisation", None)
    if organisation is None or organisation.local_authority_id is None:
        return None
    return organisation.local_authority
