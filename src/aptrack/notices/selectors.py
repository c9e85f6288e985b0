"""Reads of notices, always from the reader's scope."""

from django.db.models import QuerySet

from aptrack.accounts.models import User
from aptrack.notices.models import Notice
from aptrack.notices.permissions import scope_notices


def list_notices(*, user: User, kind: str = "") -> QuerySet[Notice]:
    """The notices this user may read, newest first."""
    notices = scope_notices(user)
    if kind:
        notices = notices.filter(kind=kind)
    return notices.select_related(
        "child", "school", "home_la", "provider", "referral", "placement"
    ).order_by("-notified_at", "-pk")
