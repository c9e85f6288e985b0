"""The service navigation, chosen by what the signed-in user may use."""

from functools import cache
from typing import Any

from django.http import HttpRequest
from django.urls import get_script_prefix, reverse

from aptrack.accounts.roles import LA_ROLES, Role
from aptrack.alerts.permissions import ALERT_ROLES

_CHILD_ROLES = {
    Role.LA_OFFICER, Role.LA_MANAGER, Role.PROVIDER_STAFF, Role.SCHOOL_STAFF,
    Role.SOCIAL_WORKER, Role.VIRTUAL_SCHOOL_HEAD,
}

_REFERRAL_ROLES = {Role.LA_OFFICER, Role.LA_MANAGER, Role.SCHOOL_STAFF, Role.PANEL_MEMBER}
_PANEL_ROLES = {Role.LA_OFFICER, Role.LA_MANAGER, Role.PANEL_MEMBER}


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    path = request.path
    navigation = []
    for text, href in _items(user.role, get_script_prefix()):
        active = path == href if href == "/" else path.startswith(href)
        navigation.append({"text": text, "href": href, "active": active, "current": active})
    return {"navigation": navigation}


@cache
def _items(role: str, script_prefix: str) -> tuple[tuple[str, str], ...]:
    """The (text, URL) of each item a role is shown; the same for every page, so worked out once
    per role and URL prefix (``reverse`` reads the prefix)."""
    items = [("Home", reverse("core:home"))]
    if role in _CHILD_ROLES:
        items.append(("Children", reverse("children:list")))
    if role in _REFERRAL_ROLES:
        items.append(("Referrals", reverse("referrals:list")))
    if role in _PANEL_ROLES:
        items.append(("Panels", reverse("panels:list")))
    if role in (Role.LA_OFFICER, Role.LA_MANAGER):
        items.append(("Placements", reverse("placements:list")))
    if role == Role.PROVIDER_STAFF:
        items.append(("Attendance", reverse("attendance:register")))
    elif role in LA_ROLES:
        items.append(("Attendance", reverse("attendance:measures")))
    if role in ALERT_ROLES:
        items.append(("Alerts", reverse("alerts:list")))
    if role:
        items.append(("Providers", reverse("providers:list")))
    if role in LA_ROLES:
        items.append(("Quality", reverse("quality:dashboard")))
    if role in LA_ROLES or role == Role.PROVIDER_STAFF:
        items.append(("Returns", reverse("returns:list")))
    if role in LA_ROLES:
        items.append(("Oversight", reverse("oversight:dashboard")))
    elif role == Role.ANALYST:
        items.append(("Oversight", reverse("oversight:regional")))
    return tuple(items)
