"""Reads of notices, always from the reader's scope."""

from django.db.models import QuerySet

from aptrack.accounts.models import User
from aptrack.notices.models import Notice
from aptrack.notices.permissions import scope_notices


def get_notice(*, user: User, notice_id: int) -> Notice | None:
    """The notice with id `notice_id` if `user` may read it (None: missing or out of reach)."""
    return list_notices(user=user).select_related("notified_by").filter(pk=notice_id).first()


def list_notices(*, user: User, kind: str = "") -> QuerySet[Notice]:
    """The notices this user may read, newest first."""
    notices = scope_notices(user)
    if kind:
        notices = notices.filter(kind=kind)
    return notices.select_related(
        "child", "school", "home_la", "provider", "referral", "placement"
    ).order_by("-notified_at", "-pk")
