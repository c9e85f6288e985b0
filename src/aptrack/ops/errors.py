"""Error reporting through Sentry, only when SENTRY_DSN is set, with no personal data."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sentry_sdk.types import Event, Hint


def _scrub(event: "Event", hint: "Hint") -> "Event":
    """Send the path, never the query string, form data or cookies (names, UPNs)."""
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("query_string", "data", "cookies"):
            request.pop(key, None)
        url = request.get("url")
        if isinstance(url, str):
            request["url"] = url.split("?", 1)[0]
    return event


def init_error_reporting(*, dsn: str | None, environment: str, release: str | None) -> bool:
    """Start Sentry when a DSN is given; True if it was started."""
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        send_default_pii=False,
        integrations=[DjangoIntegration()],
        before_send=_scrub,
        traces_sample_rate=0,
    )
    return True
