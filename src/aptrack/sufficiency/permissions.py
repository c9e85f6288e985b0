"""Who may see an LA's sufficiency page: the LA's officers and managers (and QA leads, as the
dashboard), for their own LA only. The page names no child."""

from aptrack.organisations.models import LocalAuthority
from aptrack.oversight.dashboard.access import dashboard_la


def sufficiency_la(user: object) -> LocalAuthority | None:
    """The LA whose sufficiency the user may see, or None."""
    return dashboard_la(user)


def can_see_sufficiency(user: object) -> bool:
    return sufficiency_la(user) is not None
