"""The service navigation and `may("app:name")`, chosen by the permission functions each app
registers in `core.navigation` (the checks its views make), so a user is never shown a link that
answers 403."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from aptrack.core.navigation import URL_NAMES, NavItem, may_open, navigation_groups


class Reach:
    """`may("app:name")` in templates: whether the signed-in user may open that page."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self._known: dict[str, bool] = {}

    def __call__(self, name: str) -> bool:
        if name not in self._known:
            self._known[name] = may_open(self.user, name)
        return self._known[name]


def _url_name(item: NavItem) -> str:
    return URL_NAMES.get(item.name, item.name)


def _page_of(
    pages: list[tuple[int, NavItem, str]], path: str, namespace: str
) -> tuple[int, NavItem, str] | None:
    """The navigation page `path` is: that page itself, else the page whose address is the
    longest start of it (a record under a list), else the first page of the app it is in."""
    for page in pages:
        if page[2] == path:
            return page
    under = [page for page in pages if path.startswith(page[2])]
    if under:
        return max(under, key=lambda page: len(page[2]))
    if namespace:
        for page in pages:
            if _url_name(page[1]).split(":")[0] == namespace:
                return page
    return None


def navigation(request: HttpRequest) -> dict[str, Any]:
    """`navigation`: the groups of the service navigation; `sub_navigation`: on a page of a group
    of several pages, those pages (empty elsewhere)."""
    user = getattr(request, "user", None)
    may = Reach(user)
    context: dict[str, Any] = {
        "navigation": [],
        "sub_navigation": None,
        "may": may,
        "council_logo": settings.APTRACK_COUNCIL_LOGO,
    }
    if user is None or not user.is_authenticated:
        return context
    path = request.path
    match = getattr(request, "resolver_match", None)
    groups = [
        (group, [(item, reverse(_url_name(item))) for item in items])
        for group, items in navigation_groups(may)
    ]
    pages = [(index, item, href) for index, (_, items) in enumerate(groups) for item, href in items]
    here = _page_of(pages, path, match.namespace if match else "")
    for index, (group, items) in enumerate(groups):
        first_href = items[0][1]
        active = here is not None and here[0] == index
        context["navigation"].append(
            {
                "text": group.text if len(items) > 1 else items[0][0].text,
                "href": first_href,
                "active": active,
                "current": active and path == first_href,
            }
        )
        if active and len(items) > 1 and here is not None and here[2] == path:
            context["sub_navigation"] = {
                "label": f"{group.text} pages",
                "items": [
                    {"text": item.text, "href": href, "current": href == path}
                    for item, href in items
                ],
            }
    return context
