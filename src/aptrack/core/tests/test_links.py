"""No role is shown a link it cannot open: from each persona's home page, every page reachable
through links is fetched (one page per URL pattern, so /children/1/ and /children/2/ count once)
and any link answering 403 fails the test with the page it was on."""

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.urls import Resolver404, resolve

from aptrack.oversight.tests.regional_samples import populate
from aptrack.providers.tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db

SKIP_PREFIXES = ("/static/", "/media/", "/admin/", "/accounts/logout", "/api/")
MAX_PAGES = 150


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def _links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.hrefs


def _pattern(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.route or match.view_name


def crawl(client, start: str = "/") -> list[str]:
    """(page, link) of every link reachable from `start` that answers 403."""
    forbidden: list[str] = []
    seen_patterns: set[str] = set()
    queue: deque[tuple[str, str]] = deque([(start, "(start)")])
    fetched = 0
    while queue and fetched < MAX_PAGES:
        url, on_page = queue.popleft()
        path = urlsplit(url).path
        pattern = _pattern(path)
        key = f"{pattern}?{urlsplit(url).query.split('&')[0]}" if pattern else path
        if key in seen_patterns:
            continue
        seen_patterns.add(key)
        response = client.get(url)
        fetched += 1
        if response.status_code == 403:
            forbidden.append(f"{url} (linked from {on_page})")
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for href in _links(response.content.decode()):
            href = urldefrag(href).url
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if (
                parts.path.startswith(SKIP_PREFIXES)
                or "download" in parts.path
                or "export" in parts.path
            ):
                continue
            queue.append((href, url))
    return forbidden


@pytest.mark.parametrize(
    "persona",
    [
        "officer_a",
        "manager_a",
        "provider_x",
        "school_y",
        "social_worker",
        "virtual_school_head_a",
        "qa_lead_a",
        "panel_member",
        "analyst",
    ],
)
def test_no_role_is_shown_a_link_it_cannot_open(client, world, persona) -> None:
    populate(world)
    ProviderFactory(organisation=world.provider_x.organisation)
    client.force_login(getattr(world, persona))
    assert crawl(client) == []
