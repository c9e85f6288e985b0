"""The parts of the layout that are the same on every page (the GOV.UK header, phase banner and
footer, from ``core/fixed/<name>.html``), the service navigation, and the signed-in user's own
part of the header. Each is rendered for every page like the rest of the layout."""

from typing import Any

from django.http import HttpRequest
from django.template.backends.utils import csrf_input
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from jinja2 import Environment, pass_environment
from markupsafe import Markup

NAMES = frozenset({"header", "phase_banner", "footer"})


@pass_environment
def fixed_markup(env: Environment, name: str) -> Markup:
    if name not in NAMES:
        raise ValueError(f"No fixed markup called {name!r}")
    return Markup(env.get_template(f"core/fixed/{name}.html").render())


def account_markup(request: HttpRequest) -> SafeString:
    """The signed-in user's own part of the header: who they are, then Sign out (a POST form,
    so a button styled as a link). In the header rather than the service navigation, so the
    navigation keeps its one row however long a name or an organisation's name is."""
    user = request.user
    if not user.is_authenticated:
        return SafeString("")
    organisation = getattr(user, "organisation", None)
    return format_html(
        '<div class="app-council-header__account">'
        '<p class="app-council-header__user">'
        '<span class="govuk-visually-hidden">Signed in as </span>{}{}</p>'
        '<form class="app-signout-form" method="post" action="{}">{}'
        '<button class="app-signout-button" type="submit">Sign out</button></form></div>',
        user.display_name,
        f", {organisation.name}" if organisation else "",
        reverse("accounts:logout"),
        csrf_input(request),
    )


@pass_environment
def service_navigation(env: Environment, navigation: list[dict[str, Any]]) -> Markup:
    """The GOV.UK service navigation: the groups of pages the user may open."""
    return Markup(
        env.get_template("core/fixed/service_navigation.html").render(navigation=navigation)
    )
