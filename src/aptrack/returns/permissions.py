"""Who may see and make provider returns, and who sees the registration and time-limit alerts.

Which returns a user can reach (their own provider's, or those of providers their LA uses) is
decided by `selectors.get_return`/`list_returns`; a return out of reach is a 404, not a 403.
"""

from aptrack.accounts.models import User
from aptrack.accounts.roles import CHILD_EDITOR_ROLES, LA_ROLES, Role
from aptrack.returns.models import ProviderReturn

RETURN_VIEWER_ROLES = LA_ROLES | {Role.PROVIDER_STAFF}
# Provider staff make their own provider's returns; LA officers and managers may make one on
# a provider's behalf. QA leads read returns but do not write them.
RETURN_EDITOR_ROLES = CHILD_EDITOR_ROLES | {Role.PROVIDER_STAFF}
ALERT_ROLES = LA_ROLES


def _role(user: User) -> str | None:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "organisation_id", None):
        return None
    return getattr(user, "role", None)


def is_provider_staff(user: User) -> bool:
    return _role(user) == Role.PROVIDER_STAFF


def can_use_returns(user: User) -> bool:
    return _role(user) in RETURN_VIEWER_ROLES


def can_start_returns(user: User) -> bool:
    return _role(user) in RETURN_EDITOR_ROLES


def can_edit_return(user: User, provider_return: ProviderReturn) -> bool:
    """Edit a return already reached through the selectors (so within the user's reach)."""
    role = _role(user)
    if role == Role.PROVIDER_STAFF:
        return provider_return.provider.organisation_id == user.organisation_id
    return role in RETURN_EDITOR_ROLES


def alerts_la_id(user: User) -> int | None:
    """The LA whose registration and time-limit alerts the user sees, or None."""
    if _role(user) not in ALERT_ROLES or user.organisation is None:
        return None
    return user.organisation.local_authority_id or None


def can_view_alerts(user: User) -> bool:
    return alerts_la_id(user) is not None
