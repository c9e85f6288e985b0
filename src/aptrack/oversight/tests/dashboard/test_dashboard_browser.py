"""The dashboard in a real Chromium: accessible (axe-core), on a phone, and without JavaScript.

Uses the browser fixtures of aptrack.core.tests; skipped without Chromium. The live server keeps
the real clock, so these tests check the page, not the numbers (test_measures does those).
"""

import pytest
from playwright.sync_api import expect

from aptrack.core.tests.conftest import (  # noqa: F401 - fixtures used by name
    MOBILE,
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
from aptrack.oversight.tests import dashboard_data

dataset = dashboard_data.dataset
pytestmark = pytest.mark.browser


def test_dashboard_and_drill_down_are_accessible(browser_world, dataset, new_page):  # noqa: F811
    page = new_page()
    page.set_default_timeout(
        60_000
    )  # the dashboard and the first static files are slow on a busy machine
    sign_in(page, "manager_a")
    page.goto("/oversight/?period=this-year")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Alternative provision oversight")
    expect(page.get_by_role("img", name="By tier", exact=True)).to_be_visible()
    assert_accessible(page)
    screenshot(page, "oversight-dashboard")
    click_and_wait(page, page.locator("#who-by-tier table a").first)
    expect(page.get_by_role("heading", level=1)).to_contain_text("By tier: Tier")
    assert_accessible(page)


def test_dashboard_fits_a_phone_and_works_without_javascript(browser_world, dataset, new_page):  # noqa: F811
    page = new_page(viewport=MOBILE, is_mobile=True, has_touch=True, javascript=False)
    sign_in(page, "manager_a")
    page.goto("/oversight/")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= MOBILE["width"], f"the dashboard scrolls sideways on a phone: {width}"
    page.get_by_text("Change the period").click()
    page.get_by_label("Choose dates").check()
    page.locator("#id_start-day").fill("31")
    page.locator("#id_start-month").fill("2")
    page.locator("#id_start-year").fill("2026")
    click_and_wait(page, page.get_by_role("button", name="Show figures"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Start date must be a real date")
    screenshot(page, "oversight-dashboard-error-mobile")
