from aptrack.accounts.models import User
from aptrack.notifications.models import Notification

RECENT = 20


def list_recent(*, user: User) -> list[Notification]:
    """The last messages made for `user`, newest first."""
    return list(Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")[:RECENT])
