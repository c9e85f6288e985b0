"""Who may ask for and download committee packs: LA managers and LA officers, for their own
LA only. A pack carries no child-level data, but an internal copy shows small numbers."""

from aptrack.accounts.models import User
from aptrack.accounts.roles import Role
from aptrack.organisations.models import Organisation
from aptrack.oversight.models import PackExport

PACK_ROLES = frozenset({Role.LA_MANAGER, Role.LA_OFFICER})


def user_la_id(user: User) -> int | None:
    organisation: Organisation | None = getattr(user, "organisation", None)
    if organisation is None or organisation.kind != "LOCAL_AUTHORITY":
        return None
    return organisation.local_authority_id


def may_use_packs(user: User) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "role", None) in PACK_ROLES
        and user_la_id(user) is not None
    )


def can_view_export(user: User, export: PackExport) -> bool:
    return may_use_packs(user) and export.local_authority_id == user_la_id(user)
