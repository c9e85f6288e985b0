"""Fixtures for the real-browser tests: Chromium through Playwright, a live server, personas, axe.

Chromium is Debian's (`apt-get install chromium`, or CHROMIUM_PATH); Playwright's own browser
download is never used. Without Chromium the browser tests are skipped, except in CI
(CI=true), where that is an error.

axe-core comes from node_modules (installed by `make install`). It is injected with
`page.evaluate` so that the site's Content-Security-Policy stays in force during the tests:
anything the CSP blocks shows up as a console error, which the tests also refuse.
"""

from __future__ import annotations

import functools
import importlib
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection, connections

from aptrack.accounts.tests.factories import PASSWORD

SHOTS_DIR = Path(os.environ.get("APTRACK_SHOTS_DIR", "/tmp/aptrack-shots"))  # noqa: S108
AXE_PATH = settings.PROJECT_DIR / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 375, "height": 667}


def _chromium_path() -> str | None:
    path = os.environ.get("CHROMIUM_PATH")
    path = path or shutil.which("chromium") or shutil.which("chromium-browser")
    return path if path and Path(path).exists() else None


def _missing(what: str, skip_message: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what}: the browser tests are required in CI", pytrace=False)
    pytest.skip(skip_message)


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    """Debian's Chromium (or CHROMIUM_PATH), and axe-core: skip without them, fail in CI."""
    path = _chromium_path()
    if path is None:
        _missing(
            "No Chromium found (apt-get install chromium, or set CHROMIUM_PATH)",
            "No Chromium: browser tests skipped (apt-get install chromium)",
        )
    if not AXE_PATH.exists():
        _missing(f"No axe-core at {AXE_PATH}", f"No axe-core at {AXE_PATH}: run `make install`")
    return path  # type: ignore[return-value]


@pytest.fixture(scope="module")
def browser(
    chromium_executable: str, django_db_setup: None, django_db_blocker: Any
) -> Iterator[Any]:
    """One headless Chromium for a test module.

    Playwright's sync API keeps an asyncio loop running in this thread while it is open. Two
    consequences for Django, handled here for as long as the browser lives (the loop ends with
    the module):

    - its async-safety guard would refuse the ORM in test code: DJANGO_ALLOW_ASYNC_UNSAFE;
    - `django.db.connections` is an asgiref Local that keeps separate connections when a loop
      is running, so test code gets new connection objects (to the same test database). The
      one the test database was created on holds the serialized copy of the migrations' data
      that serialized rollback restores; it is handed to the new ones, and they are closed at
      the end (an open PostgreSQL connection would stop the test database being dropped).
    """
    from playwright.sync_api import sync_playwright

    serialized = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            for alias, contents in serialized.items():
                connections[alias]._test_serialized_contents = contents
            chromium = playwright.chromium.launch(
                executable_path=chromium_executable, args=CHROMIUM_ARGS
            )
            try:
                yield chromium
            finally:
                chromium.close()
                with django_db_blocker.unblock():
                    connections.close_all()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def browser_world(
    browser: Any,
    transactional_db: None,
    django_db_serialized_rollback: None,
    live_server: Any,
    world: Any,
) -> Iterator[Any]:
    """The personas, committed so the live server's thread can see them.

    Transactional tests end with a flush of every table; serialized rollback puts back what the
    migrations loaded (the local authorities) for the tests that run afterwards. On SQLite the
    flush is a DELETE, which the audit trail's append-only trigger refuses, so the trail this
    test wrote is cleared here with the trigger briefly lifted. (PostgreSQL's flush is a
    TRUNCATE, which row triggers do not see.)
    """
    yield world
    if connection.vendor == "sqlite":
        trigger = importlib.import_module("aptrack.audit.migrations.0002_append_only_trigger")
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER IF EXISTS audit_auditevent_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS audit_auditevent_no_delete")
            cursor.execute("DELETE FROM audit_auditevent")
            cursor.execute(trigger.SQLITE_FORWARD)
            cursor.execute(trigger.SQLITE_FORWARD_DELETE)


class Problems:
    """Console errors, uncaught exceptions and failed requests seen by a page."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.expected: list[str] = []

    def expect(self, text: str) -> None:
        """Accept messages containing `text` (for example the 404 of a page meant to 404)."""
        self.expected.append(text)

    def watch(self, page: Any) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.messages.append(f"page error: {error}"))
        page.on("requestfailed", self._request_failed)

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.messages.append(f"console error: {message.text}")

    def _request_failed(self, request: Any) -> None:
        # ERR_ABORTED is a request cut short by the next navigation (a favicon, say): no fault.
        if request.failure != "net::ERR_ABORTED":
            self.messages.append(f"request failed: {request.url} {request.failure}")

    def check(self) -> None:
        unexpected = [m for m in self.messages if not any(text in m for text in self.expected)]
        assert not unexpected, "The browser reported problems:\n" + "\n".join(unexpected)


@pytest.fixture
def browser_problems() -> Problems:
    return Problems()


@pytest.fixture
def new_page(
    browser: Any, live_server: Any, browser_problems: Problems
) -> Iterator[Callable[..., Any]]:
    """Make a page in a fresh context (own cookies) against the live server.

    Every page is watched for console errors (including CSP violations), uncaught exceptions
    and failed requests; any of those fails the test at the end.
    """
    contexts: list[Any] = []
    problems = browser_problems

    def make(
        *, viewport: dict[str, int] | None = None, javascript: bool = True, **options: Any
    ) -> Any:
        context = browser.new_context(
            base_url=live_server.url,
            viewport=viewport or DESKTOP,
            java_script_enabled=javascript,
            locale="en-GB",
            timezone_id="Europe/London",
            **options,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        problems.watch(page)
        return page

    yield make
    for context in contexts:
        context.close()
    problems.check()


def click_and_wait(page: Any, target: Any) -> None:
    """Click a link or button and wait for the page it leads to (GET or POST) to load."""
    with page.expect_navigation():
        target.click()


def sign_in(page: Any, username: str, password: str = PASSWORD) -> None:
    """Sign in through the real form."""
    page.goto("/accounts/sign-in/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    click_and_wait(page, page.get_by_role("button", name="Sign in"))
    assert "/accounts/sign-in/" not in page.url, f"{username} could not sign in"


def screenshot(page: Any, name: str) -> Path:
    SHOTS_DIR.mkdir(parents=True, exist_ok=True)
    path = SHOTS_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def _format_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"axe found {len(violations)} accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact')}): {violation['help']}"
            f" <{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {target}: {summary}")
            lines.append(f"      {node['html'][:200]}")
    return "\n".join(lines)


@functools.cache
def _axe_source() -> str:
    return AXE_PATH.read_text(encoding="utf-8") + "\n;undefined"


def assert_accessible(page: Any) -> None:
    """Run axe-core (WCAG 2.0, 2.1 and 2.2 A and AA rules) on the page; fail on any violation."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())  # DevTools evaluation: the page's CSP does not apply
    result = page.evaluate(
        """async (tags) => await axe.run(document, {
            runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
        })""",
        AXE_TAGS,
    )
    violations = result["violations"]
    assert violations == [], _format_violations(page.url, violations)
