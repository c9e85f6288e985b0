"""Turn a rendered page into a PDF with WeasyPrint, reading our static files from disk
(never over the network), so reports print the same as they show."""

from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.urls import URLFetcher


class AssetOutsideStatic(ValueError):
    pass


class StaticFilesFetcher(URLFetcher):
    """Serves /static/ URLs from the static files finders; refuses everything else but data:."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"file", "data"})

    def fetch(self, url: str, headers: Any = None) -> Any:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = urlparse(url).path
        if not path.startswith(settings.STATIC_URL):
            raise AssetOutsideStatic(f"Refused to fetch {url}")
        relative = path[len(settings.STATIC_URL) :]
        found = finders.find(relative)
        if not found:
            raise AssetOutsideStatic(f"No static file {relative}")
        return super().fetch(f"file://{found}", headers)


def render_pdf(html: str, *, base_url: str) -> bytes:
    return HTML(string=html, base_url=base_url, url_fetcher=StaticFilesFetcher()).write_pdf()
