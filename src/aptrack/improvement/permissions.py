"""Who sees and who edits an LA's improvement plans. LA managers edit; LA officers and QA
leads read. Plans of another LA are a 404 (the selectors filter by the user's LA)."""

from aptrack.accounts.roles import LA_ROLES, Role

VIEW_ROLES = LA_ROLES  # officer, manager, QA lead
EDIT_ROLES = frozenset({Role.LA_MANAGER})


def user_la_id(user: object) -> int | None:
    """The LA whose plans this user may see, or None."""
    if (
        not getattr(user, "is_authenticated", False)
        or getattr(user, "role", None) not in VIEW_ROLES
    ):
        return None
    organisation = getattr(user, "organisation", None)
    return getattr(organisation, "local_authority_id", None) if organisation else None


def can_view_plans(user: object) -> bool:
    return user_la_id(user) is not None


def can_edit_plans(user: object) -> bool:
    return can_view_plans(user) and getattr(user, "role", None) in EDIT_ROLES
