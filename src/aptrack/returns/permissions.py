"""Who may see and make provider returns, and who sees the registration and time-limit alerts.

Which returns a user can reach (their own provider's, or those of providers their LA uses) is
decided by `selectors.get_return`/`list_returns`; a return out of reach is a 404, not a 403.
"""

from aptrack.accounts.roles import CHILD_EDITOR_ROLES, LA_ROLES, Role

RETURN_VIEWER_ROLES = LA_ROLES | {Role.PROVIDER_STAFF}
# Provider staff make their own provider's returns; LA officers and managers may make one on
# a provider's behalf. QA leads read returns but do not write them.
RETURN_EDITOR_ROLES = CHILD_EDITOR_ROLES | {Role.PROVIDER_STAFF}
ALERT_ROLES = LA_ROLES


def _role(user: object) -> str | None:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "organisation_id", None):
        return None
    return getattr(user, "role", None)


def is_provider_staff(user: object) -> bool:
    return _role(user) == Role.PROVIDER_STAFF


def can_use_returns(user: object) -> bool:
    return _role(user) in RETURN_VIEWER_ROLES


def can_start_returns(user: object) -> bool:
    return _role(user) in RETURN_EDITOR_ROLES


def can_edit_return(user: object, provider_return: object) -> bool:
    """Edit a return already reached through the selectors (so within the user's reach)."""
    role = _role(user)
    if role == Role.PROVIDER_STAFF:
        provider = provider_return.provider  # type: ignore[attr-defined]
        return bool(provider.organisation_id == user.organisation_id)  # type: ignore[attr-defined]
    return role in RETURN_EDITOR_ROLES


def can_view_alerts(user: object) -> bool:
    return _role(user) in ALERT_ROLES and bool(
        getattr(user.organisation, "local_authority_id", None)  # type: ignore[attr-defined]
    )
