"""Who may see, start and change which referral. Every list, page and API path that shows a
referral starts from `scope_referrals(user)`: one scoping rule per role.

- LA officers and managers: the referrals their LA commissions (including schools' referrals,
  which name the school's LA for oversight).
- School staff: the referrals of their own pupils.
- Panel members: a referral only while it is on an agenda item they see
  (`panels.permissions.scope_agenda_items`: "What a panel member sees" in docs/rules.md); the
  panels app registers that scope (`register_scope`) from its AppConfig.ready, as referrals
  sit below panels and do not import them.
- Everyone else (providers, analysts, QA leads, social workers, virtual school heads): none.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from aptrack.accounts.roles import Role
from aptrack.children.models import Child
from aptrack.children.permissions import scope_children
from aptrack.referrals.models import Referral
from aptrack.referrals.states import ReferralStatus, can_move

if TYPE_CHECKING:
    from aptrack.accounts.models import User

REFERRER_LA_ROLES = frozenset({Role.LA_OFFICER, Role.LA_MANAGER})
REFERRAL_ROLES = frozenset({Role.LA_OFFICER, Role.LA_MANAGER, Role.SCHOOL_STAFF, Role.PANEL_MEMBER})
EDITABLE_STATUSES = frozenset({ReferralStatus.DRAFT, ReferralStatus.SUBMITTED})


def _role(user: "User") -> str | None:
    return getattr(user, "role", None)


def _la_id(user: "User") -> int | None:
    organisation = getattr(user, "organisation", None)
    return getattr(organisation, "local_authority_id", None)


def _none(user: "User") -> QuerySet[Referral]:
    return Referral.objects.none()


def _local_authority(user: "User") -> QuerySet[Referral]:
    la_id = _la_id(user)
    if la_id is None:
        return Referral.objects.none()
    return Referral.objects.filter(commissioning_la_id=la_id)


def _school(user: "User") -> QuerySet[Referral]:
    return Referral.objects.filter(child__in=scope_children(user))


REFERRAL_SCOPES: dict[str, Callable[["User"], QuerySet[Referral]]] = {
    Role.LA_OFFICER: _local_authority,
    Role.LA_MANAGER: _local_authority,
    Role.SCHOOL_STAFF: _school,
    # Role.PANEL_MEMBER: registered by the panels app (`panels.permissions.scope_referrals`).
}


def register_scope(role: str, scope: Callable[["User"], QuerySet[Referral]]) -> None:
    """Let an app above referrals say which referrals a role sees (panels: panel members)."""
    REFERRAL_SCOPES[role] = scope


def scope_referrals(user: "User") -> QuerySet[Referral]:
    """The referrals this user may see. No role or no organisation means none."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "organisation_id", None):
        return Referral.objects.none()
    return REFERRAL_SCOPES.get(_role(user) or "", _none)(user)


def can_use_referrals(user: "User") -> bool:
    """Roles with any access to referrals; the rest get 403, not an empty list."""
    return bool(getattr(user, "is_authenticated", False)) and _role(user) in REFERRAL_ROLES


def can_view_referral(user: "User", referral: Referral) -> bool:
    return scope_referrals(user).filter(pk=referral.pk).exists()


def can_start_referrals(user: "User") -> bool:
    """LA officers and managers refer for their LA; school staff commission for their pupils."""
    if not getattr(user, "organisation_id", None):
        return False
    if _role(user) in REFERRER_LA_ROLES:
        return _la_id(user) is not None
    return _role(user) == Role.SCHOOL_STAFF


def can_refer_child(user: "User", child: Child) -> bool:
    return can_start_referrals(user) and scope_children(user).filter(pk=child.pk).exists()


def is_commissioner(user: "User", referral: Referral) -> bool:
    """The LA that commissions it, or for a school's own referral, that school (the school's LA
    oversees that referral and puts it before its panel, but does not change it)."""
    if not getattr(user, "organisation_id", None):
        return False
    if _role(user) in REFERRER_LA_ROLES:
        return (
            _la_id(user) == referral.commissioning_la_id
            and referral.commissioning_school_id is None
        )
    if _role(user) == Role.SCHOOL_STAFF:
        return referral.commissioning_school_id == user.organisation_id
    return False


def can_change_referral(user: "User", referral: Referral) -> bool:
    return is_commissioner(user, referral) and referral.status in EDITABLE_STATUSES


def can_submit_referral(user: "User", referral: Referral) -> bool:
    return is_commissioner(user, referral) and referral.status == ReferralStatus.DRAFT


def can_withdraw_referral(user: "User", referral: Referral) -> bool:
    return is_commissioner(user, referral) and can_move(
        ReferralStatus(referral.status), ReferralStatus.WITHDRAWN
    )


def can_see_sixth_day_list(user: "User") -> bool:
    """The sixth-day duty for a permanent exclusion is the home LA's."""
    return _role(user) in REFERRER_LA_ROLES and _la_id(user) is not None
