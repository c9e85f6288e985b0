"""Markup that is the same on every page, rendered once rather than on every request.

The GOV.UK header, phase banner and footer depend on nothing but the site's URLs, yet rendering
their macros was about a third of the layout's time on every page. The service navigation is
kept the same way for each set of items and the one marked current, with the signed-in user's
own part put in on each page. Each is rendered from
``core/fixed/<name>.html`` the first time it is wanted for a URL prefix (the only thing about a
request they depend on) and kept for the life of the process. With ``DEBUG`` on they are
rendered every time, so edits to the templates show at once.
"""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.template.backends.utils import csrf_input
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html
from jinja2 import Environment, pass_environment
from markupsafe import Markup

NAMES = frozenset({"header", "phase_banner", "footer"})
_kept: dict[tuple[str, str], Markup] = {}
_navigation_kept: dict[tuple[Any, ...], Markup] = {}
ACCOUNT = "<!--aptrack:account-->"  # where the signed-in user's own part goes in kept navigation


@pass_environment
def fixed_markup(env: Environment, name: str) -> Markup:
    if name not in NAMES:
        raise ValueError(f"No fixed markup called {name!r}")
    if settings.DEBUG:
        return _render(env, name)
    key = (name, get_script_prefix())
    if key not in _kept:
        _kept[key] = _render(env, name)
    return _kept[key]


def account_markup(request: HttpRequest) -> Markup:
    """The signed-in user's own part of the service navigation: who they are, then Sign out (a
    POST form, so a button styled as a navigation link)."""
    user = request.user
    organisation = getattr(user, "organisation", None)
    return format_html(
        '<li class="govuk-service-navigation__item app-service-navigation__account">'
        '<span class="govuk-visually-hidden">Signed in as </span>{}{}</li>'
        '<li class="govuk-service-navigation__item">'
        '<form class="app-signout-form" method="post" action="{}">{}'
        '<button class="app-signout-button" type="submit">Sign out</button></form></li>',
        user.display_name, f", {organisation.name}" if organisation else "", reverse("accounts:logout"),
        csrf_input(request),
    )


@pass_environment
def service_navigation(env: Environment, navigation: list[dict[str, Any]], account: str = "") -> Markup:
    """The GOV.UK service navigation: the same for every page of a section for everyone with the
    same items, but for the signed-in user's own part (``account``: their name and the sign-out
    form with its CSRF token), which is put in each time."""
    items = tuple((item["text"], item["href"], bool(item.get("active"))) for item in navigation)
    key = (items, get_script_prefix(), bool(account))
    kept = None if settings.DEBUG else _navigation_kept.get(key)
    if kept is None:
        kept = Markup(env.get_template("core/fixed/service_navigation.html").render(
            navigation=navigation, account=Markup(ACCOUNT) if account else ""
        ))
        if not settings.DEBUG:
            _navigation_kept[key] = kept
    # The account part was escaped as it was rendered (the macro takes slots as they are).
    return Markup(str(kept).replace(ACCOUNT, str(account), 1)) if account else kept


def _render(env: Environment, name: str) -> Markup:
    return Markup(env.get_template(f"core/fixed/{name}.html").render())
