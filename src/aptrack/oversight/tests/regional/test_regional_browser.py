"""The regional view in a real Chromium, checked with axe-core (WCAG 2.2 AA). Uses the browser
fixtures of aptrack.core.tests; skipped without Chromium. Run with `pytest -m browser`."""

import pytest
from playwright.sync_api import expect

from aptrack.core.tests.conftest import (  # noqa: F401 - fixtures used by name
    assert_accessible,
    browser,
    browser_problems,
    browser_world,
    chromium_executable,
    click_and_wait,
    new_page,
    screenshot,
    sign_in,
)

pytestmark = pytest.mark.browser


def test_regional_view_and_comparison_are_accessible(browser_world, new_page):  # noqa: F811
    page = new_page()
    sign_in(page, "analyst")
    page.goto("/oversight/regional/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Alternative provision across South West"
    )
    page.select_option("#id_first", "838")
    page.select_option("#id_second", "908")
    click_and_wait(page, page.get_by_role("button", name="Compare"))
    expect(page.get_by_text("Dorset compared with Cornwall")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "oversight-regional")
