"""Who may see and change the provider register."""

from aptrack.accounts.roles import LA_ROLES, Role

APPROVAL_ROLES = frozenset({Role.LA_MANAGER, Role.QA_LEAD})


def can_view_register(user: object) -> bool:
    """The register holds no child data: every signed-in user with a role may read it."""
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "role", ""))


def can_edit_providers(user: object) -> bool:
    return getattr(user, "role", None) in LA_ROLES


def can_decide_approval(user: object) -> bool:
    return getattr(user, "role", None) in APPROVAL_ROLES
