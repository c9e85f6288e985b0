"""The registry of pages, navigation items and home-page panels. Each domain app registers its own
from its AppConfig.ready(), with the same permission function its views check, so `core` imports
no domain app and a user is never shown a link that answers 403.

The service navigation is two levels, so the bar fits one row on a laptop whatever the role: a
few groups (Children, Referrals, Placements, ...) in the GOV.UK service navigation, and, on the
pages of a group, its pages as a sub navigation (the MOJ pattern). An app puts a page in a group
another app registered by the group's key."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

MayOpen = Callable[[Any], bool]


@dataclass(frozen=True)
class NavItem:
    """One page of a navigation group; of the items with the same text, the first the user may
    open is shown."""

    order: int
    text: str
    name: str
    group: str


@dataclass(frozen=True)
class NavGroup:
    """One entry of the service navigation: its pages a user may open, under `text` when there
    are several, under the one page's own text when there is one."""

    order: int
    key: str
    text: str


@dataclass(frozen=True)
class HomePanel:
    """A partial template on the signed-in home page, with the context it needs for a user
    (None: nothing to show). `region` is "links" (the list under the heading) or "cards"."""

    order: int
    template: str
    context: Callable[[Any], dict[str, Any] | None]
    region: str = "links"


# Page name (a URL name, or an alias with its URL name in URL_NAMES) -> who may open it.
MAY_OPEN: dict[str, MayOpen] = {}
URL_NAMES: dict[str, str] = {}
_NAVIGATION: list[NavItem] = []
_NAV_GROUPS: dict[str, NavGroup] = {}
_HOME_PANELS: list[HomePanel] = []
# Page name -> sections other apps add to it (a template and its context for a user and object).
_SECTIONS: dict[str, list[tuple[str, Callable[[Any, Any], dict[str, Any] | None]]]] = {}


def register_page(name: str, may_open: MayOpen, *, url_name: str | None = None) -> None:
    """Say who may open page `name` (the check its view makes); `url_name` when `name` is an
    alias for a URL seen by another audience."""
    MAY_OPEN[name] = may_open
    if url_name is not None:
        URL_NAMES[name] = url_name


def register_navigation_group(*, key: str, order: int, text: str) -> None:
    """Add group `key` to the service navigation at `order` (lower first)."""
    _NAV_GROUPS[key] = NavGroup(order=order, key=key, text=text)


def register_navigation(*, order: int, text: str, name: str, group: str) -> None:
    """Put page `name` in navigation group `group` at `order` (lower first; the first page a user
    may open is where the group's link goes)."""
    item = NavItem(order=order, text=text, name=name, group=group)
    if item not in _NAVIGATION:
        _NAVIGATION.append(item)
        _NAVIGATION.sort(key=lambda entry: entry.order)


def register_home_panel(
    *,
    order: int,
    template: str,
    context: Callable[[Any], dict[str, Any] | None],
    region: str = "links",
) -> None:
    """Show `template` on the home page at `order` in `region` when `context(user)` is not None."""
    if any(panel.template == template for panel in _HOME_PANELS):
        return
    _HOME_PANELS.append(HomePanel(order=order, template=template, context=context, region=region))
    _HOME_PANELS.sort(key=lambda panel: panel.order)


def may_open(user: Any, name: str) -> bool:
    """Whether `user` may open page `name` of any app: a page links to another app's page
    through this rather than importing that app's permissions."""
    return bool(getattr(user, "is_authenticated", False) and MAY_OPEN[name](user))


def navigation_items() -> tuple[NavItem, ...]:
    return tuple(_NAVIGATION)


def navigation_groups(may: MayOpen) -> list[tuple[NavGroup, list[NavItem]]]:
    """The groups with pages `may` (a page name -> bool) opens, in order, each with those pages
    (the first of each text); groups with none are left out."""
    shown = []
    for group in sorted(_NAV_GROUPS.values(), key=lambda entry: entry.order):
        items: list[NavItem] = []
        for item in _NAVIGATION:
            if item.group != group.key or any(seen.text == item.text for seen in items):
                continue
            if may(item.name):
                items.append(item)
        if items:
            shown.append((group, items))
    return shown


def home_panels(user: Any) -> list[dict[str, Any]]:
    """The panels to show `user`, each as its template, region and context."""
    shown = []
    for panel in _HOME_PANELS:
        context = panel.context(user)
        if context is not None:
            shown.append({"template": panel.template, "region": panel.region, "context": context})
    return shown


def register_section(
    *, page: str, template: str, context: Callable[[Any, Any], dict[str, Any] | None]
) -> None:
    """Show `template` on page `page` (a URL name) when `context(user, obj)` is not None: how an
    app adds to another app's page (a placement's review form, a child's record) without the
    page's app importing it."""
    sections = _SECTIONS.setdefault(page, [])
    if all(existing != template for existing, _ in sections):
        sections.append((template, context))


def page_sections(page: str, user: Any, obj: Any) -> list[dict[str, Any]]:
    """The sections registered for `page` that have something to show `user` about `obj`."""
    shown = []
    for template, context in _SECTIONS.get(page, []):
        found = context(user, obj)
        if found is not None:
            shown.append({"template": template, "context": found})
    return shown
