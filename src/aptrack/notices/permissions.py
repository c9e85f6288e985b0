"""Who may send and read notices. School staff send notices for their pupils and read their
own school's; the home LA's officers and managers read the notices about their children."""

from django.db.models import QuerySet

from aptrack.accounts.models import User
from aptrack.accounts.roles import Role
from aptrack.children.permissions import scope_children
from aptrack.notices.models import Notice
from aptrack.placements.permissions import scope_placements
from aptrack.referrals.permissions import scope_referrals

LA_READER_ROLES = frozenset({Role.LA_OFFICER, Role.LA_MANAGER})


def _role(user: User) -> str | None:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "organisation_id", None):
        return None
    return getattr(user, "role", None)


def can_send_notices(user: User) -> bool:
    """School staff of a school on GIAS (a URN): the notice names the school and its LA."""
    if _role(user) != Role.SCHOOL_STAFF:
        return False
    return getattr(user.organisation, "establishment_id", None) is not None


def can_read_notices(user: User) -> bool:
    return _role(user) in LA_READER_ROLES or can_send_notices(user)


def scope_notices(user: User) -> QuerySet[Notice]:
    """A school's own notices; for LA staff, the notices to their LA (the child's home LA)."""
    role = _role(user)
    if role in LA_READER_ROLES:
        la_id = user.organisation.local_authority_id if user.organisation else None
        return Notice.objects.filter(home_la_id=la_id)
    if role == Role.SCHOOL_STAFF:
        return Notice.objects.filter(school_id=user.organisation_id)
    return Notice.objects.none()


def records_to_open(user: object, notice: Notice) -> dict[str, bool]:
    """Which of the records a notice started (the child, the referral, the placement) `user` may
    open, asked of their owning apps: a notice links to those alone."""
    return {
        "child": scope_children(user).filter(pk=notice.child_id).exists(),  # type: ignore[arg-type]
        "referral": notice.referral_id is not None
        and scope_referrals(user).filter(pk=notice.referral_id).exists(),  # type: ignore[arg-type]
        "placement": notice.placement_id is not None
        and scope_placements(user).filter(pk=notice.placement_id).exists(),  # type: ignore[arg-type]
    }
