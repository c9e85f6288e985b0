"""Markup that is the same on every page, rendered once rather than on every request.

The GOV.UK header, phase banner and footer depend on nothing but the site's URLs, yet rendering
their macros was about a third of the layout's time on every page. Each is rendered from
``core/fixed/<name>.html`` the first time it is wanted for a URL prefix (the only thing about a
request they depend on) and kept for the life of the process. With ``DEBUG`` on they are
rendered every time, so edits to the templates show at once.
"""

from django.conf import settings
from django.urls import get_script_prefix
from jinja2 import Environment, pass_environment
from markupsafe import Markup

NAMES = frozenset({"header", "phase_banner", "footer"})
_kept: dict[tuple[str, str], Markup] = {}


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


def _render(env: Environment, name: str) -> Markup:
    return Markup(env.get_template(f"core/fixed/{name}.html").render())
