"""The service navigation and `may("app:name")`, chosen by the permission functions each app
registers in `core.navigation` (the checks its views make), so a user is never shown a link that
answers 403."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from aptrack.core.navigation import URL_NAMES, may_open, navigation_items


class Reach:
    """`may("app:name")` in templates: whether the signed-in user may open that page."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self._known: dict[str, bool] = {}

    def __call__(self, name: str) -> bool:
        if name not in self._known:
            self._known[name] = may_open(self.user, name)
        return self._known[name]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    may = Reach(user)
    if user is None or not user.is_authenticated:
        return {"navigation": [], "may": may, "council_logo": settings.APTRACK_COUNCIL_LOGO}
    path = request.path
    items, texts = [], set()
    for item in navigation_items():
        if item.text in texts or not may(item.name):
            continue
        texts.add(item.text)
        href = reverse(URL_NAMES.get(item.name, item.name))
        active = path.startswith(href)
        items.append({"text": item.text, "href": href, "active": active, "current": active})
    return {"navigation": items, "may": may, "council_logo": settings.APTRACK_COUNCIL_LOGO}
