"""Who may see and change quality assurance records.

Two questions per page: may this role use the page at all (no: 403), and is this object within
the user's reach (no: 404, so nothing hints that it exists). LA roles judge providers; provider
staff keep their own provider's evidence and read their own completed visits.
"""

from aptrack.accounts.models import User
from aptrack.accounts.roles import LA_ROLES, Role
from aptrack.providers.models import Provider
from aptrack.quality.models import Framework, QAVisit

FRAMEWORK_EDITOR_ROLES = frozenset({Role.LA_MANAGER, Role.QA_LEAD})
OVERRIDE_ROLES = frozenset({Role.LA_MANAGER})


def user_la_id(user: User) -> int | None:
    """The LA an LA-role user works for; None for every other user."""
    if getattr(user, "role", None) not in LA_ROLES or not getattr(user, "organisation_id", None):
        return None
    return user.organisation.local_authority_id if user.organisation else None


def is_la_user(user: User) -> bool:
    return user_la_id(user) is not None


def is_provider_staff(user: User) -> bool:
    return getattr(user, "role", None) == Role.PROVIDER_STAFF and bool(
        getattr(user, "organisation_id", None)
    )


def is_own_provider(user: User, provider: Provider) -> bool:
    return is_provider_staff(user) and user.organisation_id == provider.organisation_id


# --- compliance ----------------------------------------------------------------------------


def may_use_compliance(user: User) -> bool:
    return is_la_user(user) or is_provider_staff(user)


def can_view_compliance(user: User, provider: Provider) -> bool:
    return is_la_user(user) or is_own_provider(user, provider)


def can_record_evidence(user: User, provider: Provider) -> bool:
    """LA roles for any provider; provider staff for their own provider only."""
    return can_view_compliance(user, provider)


def can_override_non_compliance(user: User) -> bool:
    return getattr(user, "role", None) in OVERRIDE_ROLES and is_la_user(user)


# --- visits --------------------------------------------------------------------------------


def may_use_visits(user: User) -> bool:
    return is_la_user(user) or is_provider_staff(user)


def can_record_qa(user: User) -> bool:
    return is_la_user(user)


def can_view_visit(user: User, visit: QAVisit) -> bool:
    """LA roles: their own LA's visits, and every LA's completed visits (QA is shared so no
    LA commissions blind). Provider staff: their own provider's completed visits."""
    la_id = user_la_id(user)
    if la_id is not None:
        return visit.is_completed or visit.local_authority_id == la_id
    return visit.is_completed and is_own_provider(user, visit.provider)


def can_edit_visit(user: User, visit: QAVisit) -> bool:
    return not visit.is_completed and can_manage_actions(user, visit)


def can_manage_actions(user: User, visit: QAVisit) -> bool:
    la_id = user_la_id(user)
    return la_id is not None and visit.local_authority_id == la_id


# --- frameworks ----------------------------------------------------------------------------


def may_use_frameworks(user: User) -> bool:
    return is_la_user(user)


def can_view_framework(user: User, framework: Framework) -> bool:
    la_id = user_la_id(user)
    return la_id is not None and framework.owner_la_id in (None, la_id)


def can_copy_framework(user: User) -> bool:
    return getattr(user, "role", None) in FRAMEWORK_EDITOR_ROLES and is_la_user(user)


def can_edit_framework(user: User, framework: Framework) -> bool:
    return can_copy_framework(user) and framework.owner_la_id == user_la_id(user)


def can_use_framework(user: User, framework: Framework) -> bool:
    """A visit may use a national framework or one of the visiting LA's own."""
    return can_view_framework(user, framework)


# --- dashboard and report ------------------------------------------------------------------


def can_see_dashboard(user: User) -> bool:
    return is_la_user(user)
