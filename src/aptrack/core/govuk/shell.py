"""A page's layout kept once rendered, for a page whose content is itself kept (the LA
dashboard, served from its snapshot): rendering the layout around the content was the largest
part of serving it.

Everything around the content is the same for every request with the same navigation, except
the request's own parts: the CSP nonce and the signed-in user's name and sign-out form (with its
CSRF token). The page is rendered once with marks in those places and in place of the content,
kept for the life of the process, and each request puts its own parts in. A request with
messages to show is rendered in full instead. With ``DEBUG`` on the layout is rendered every
time, so edits to the templates show at once.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from markupsafe import Markup

from aptrack.core.context_processors import navigation
from aptrack.core.govuk.fixed import ACCOUNT, account_markup

MAIN = "<!--aptrack:main-->"
NONCE = "aptrack-shell-nonce"  # a plain word: it stands inside attribute values


@dataclass(frozen=True)
class Marks:
    """What the layout shows in place of the request's own parts (``shell`` in its context)."""

    nonce: str = NONCE
    account: Markup = Markup(ACCOUNT)


_kept: dict[tuple[Hashable, ...], tuple[str, str]] = {}


def render(
    request: HttpRequest, template_name: str, context: Mapping[str, Any], main: str, key: Hashable
) -> str | None:
    """The page with ``main`` as its content, or None when the request has messages to show.

    ``key`` names everything in ``context`` that the layout around the content shows (the
    template's title, say): the kept layout is reused for requests with the same key and
    navigation."""
    if len(get_messages(request)):
        return None
    signed_in = request.user.is_authenticated
    items = tuple((item["text"], item["href"], item["active"]) for item in navigation(request)["navigation"])
    full_key = (template_name, key, items, get_script_prefix(), signed_in)
    parts = None if settings.DEBUG else _kept.get(full_key)
    if parts is None:
        html = render_to_string(
            template_name, {**context, "main": Markup(MAIN), "shell": Marks()}, request=request
        )
        head, found, tail = html.partition(MAIN)
        if not found or MAIN in tail:
            raise ValueError(f"{template_name} must show `main` exactly once to be kept as a shell")
        parts = (head, tail)
        if not settings.DEBUG:
            _kept[full_key] = parts
    nonce = str(request.csp_nonce)
    account = str(account_markup(request)) if signed_in else ""
    head, tail = (part.replace(NONCE, nonce).replace(ACCOUNT, account) for part in parts)
    return f"{head}{main}{tail}"
