"""Reads for the synthetic data commands."""

from aptrack.accounts.models import User
from aptrack.synthetic.services import DEMO_USERNAMES


def list_demo_users() -> list[User]:
    """The demo users that exist, in the order DEMO_USERS lists them."""
    found = {
        user.username: user
        for user in User.objects.filter(username__in=DEMO_USERNAMES).select_related("organisation")
    }
    return [found[name] for name in DEMO_USERNAMES if name in found]
