"""The registry of pages, navigation items and home-page panels. Each domain app registers its own
from its AppConfig.ready(), with the same permission function its views check, so `core` imports
no domain app and a user is never shown a link that answers 403."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

MayOpen = Callable[[Any], bool]


@dataclass(frozen=True)
class NavItem:
    """One entry of the service navigation; the first of a text the user may open is shown."""

    order: int
    text: str
    name: str


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
_HOME_PANELS: list[HomePanel] = []


def register_page(name: str, may_open: MayOpen, *, url_name: str | None = None) -> None:
    """Say who may open page `name` (the check its view makes); `url_name` when `name` is an
    alias for a URL seen by another audience."""
    MAY_OPEN[name] = may_open
    if url_name is not None:
        URL_NAMES[name] = url_name


def register_navigation(*, order: int, text: str, name: str) -> None:
    """Put page `name` in the service navigation at `order` (lower first)."""
    item = NavItem(order=order, text=text, name=name)
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


def home_panels(user: Any) -> list[dict[str, Any]]:
    """The panels to show `user`, each as its template, region and context."""
    shown = []
    for panel in _HOME_PANELS:
        context = panel.context(user)
        if context is not None:
            shown.append({"template": panel.template, "region": panel.region, "context": context})
    return shown
