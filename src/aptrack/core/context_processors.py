"""The service navigation and the home page's links, chosen by the same permission functions the
views check (each owned by its app), so a user is never shown a link that answers 403."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from aptrack.accounts.roles import Role
from aptrack.alerts import permissions as alerts
from aptrack.attendance import permissions as attendance
from aptrack.census import permissions as census
from aptrack.commissioning import permissions as commissioning
from aptrack.improvement import permissions as improvement
from aptrack.outcomes import permissions as outcomes
from aptrack.oversight.access import dashboard_la
from aptrack.oversight.pack_permissions import may_use_packs
from aptrack.oversight.regional_access import regional_access
from aptrack.panels import permissions as panels
from aptrack.placements import permissions as placements
from aptrack.providers import permissions as providers
from aptrack.quality import permissions as quality
from aptrack.referrals import permissions as referrals
from aptrack.returns import permissions as returns
from aptrack.returns import selectors as return_selectors

_CHILD_ROLES = {
    Role.LA_OFFICER,
    Role.LA_MANAGER,
    Role.PROVIDER_STAFF,
    Role.SCHOOL_STAFF,
    Role.SOCIAL_WORKER,
    Role.VIRTUAL_SCHOOL_HEAD,
}


def _makes_returns(user: Any) -> bool:
    """Returns are for the LA and for non-school providers: a PRU or school makes none."""
    if not returns.can_use_returns(user):
        return False
    if not returns.is_provider_staff(user):
        return True
    own = return_selectors.get_own_provider(user=user)
    return own is not None and not own.is_registered


# URL name -> who may open it: the check its view makes.
MAY_OPEN: dict[str, Callable[[Any], bool]] = {
    "children:list": lambda user: getattr(user, "role", None) in _CHILD_ROLES,
    "referrals:list": referrals.can_use_referrals,
    "panels:list": panels.can_use_panels,
    "placements:list": placements.can_view_placements,
    "placements:home": placements.can_use_caseworker_home,
    "attendance:register": lambda user: getattr(user, "role", None) == Role.PROVIDER_STAFF,
    "attendance:measures": lambda user: (
        getattr(user, "role", None) != Role.PROVIDER_STAFF
        and attendance.measures_scope(user) is not None
    ),
    "alerts:list": alerts.can_use_alerts,
    "providers:list": providers.can_view_register,
    "quality:dashboard": quality.can_see_dashboard,
    "quality:compliance": quality.may_use_compliance,
    "quality:visits": quality.may_use_visits,
    "returns:list": _makes_returns,
    "provider_returns": lambda user: returns.is_provider_staff(user) and _makes_returns(user),
    "oversight:dashboard": lambda user: dashboard_la(user) is not None,
    "oversight:pack_request": may_use_packs,
    "oversight:regional": lambda user: regional_access(user) is not None,
    "improvement:list": improvement.can_view_plans,
    "census:home": census.can_prepare_census,
    "outcomes:outreach": lambda user: outcomes.outreach_la_id(user) is not None,
    "commissioning:invoices": lambda user: (
        commissioning.can_decide_lines(user) or commissioning.can_send_invoices(user)
    ),
}

# The navigation, in order: (text, URL name); Oversight is the LA dashboard or, for analysts,
# the regional view. Home is the service name in the header. Quality and returns sit under
# Providers (its page links to them) so the bar stays on one line; a non-school provider's
# staff, whose main task returns are, get Returns in the bar.
NAVIGATION = (
    ("Children", "children:list"),
    ("Referrals", "referrals:list"),
    ("Panels", "panels:list"),
    ("Placements", "placements:list"),
    ("Attendance", "attendance:register"),
    ("Attendance", "attendance:measures"),
    ("Alerts", "alerts:list"),
    ("Providers", "providers:list"),
    ("Returns", "provider_returns"),
    ("Invoices", "commissioning:invoices"),
    ("Oversight", "oversight:dashboard"),
    ("Oversight", "oversight:regional"),
)


URL_NAMES = {"provider_returns": "returns:list"}


class Reach:
    """`may("app:name")` in templates: whether the signed-in user may open that page."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self._known: dict[str, bool] = {}

    def __call__(self, name: str) -> bool:
        if name not in self._known:
            self._known[name] = bool(
                getattr(self.user, "is_authenticated", False) and MAY_OPEN[name](self.user)
            )
        return self._known[name]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    may = Reach(user)
    if user is None or not user.is_authenticated:
        return {"navigation": [], "may": may, "council_logo": settings.APTRACK_COUNCIL_LOGO}
    path = request.path
    items, texts = [], set()
    for text, name in NAVIGATION:
        if text in texts or not may(name):
            continue
        texts.add(text)
        href = reverse(URL_NAMES.get(name, name))
        active = path.startswith(href)
        items.append({"text": text, "href": href, "active": active, "current": active})
    return {"navigation": items, "may": may, "council_logo": settings.APTRACK_COUNCIL_LOGO}
