"""The spend page in a real Chromium: accessible (axe-core), its chart labelled, and on a phone without JavaScript.
Uses the browser fixtures of aptrack.core.tests; skipped without Chromium. The live server keeps
the real clock, so this checks the page, not the numbers (test_spend does those)."""

import pytest
from playwright.sync_api import expect

from aptrack.commissioning.tests import spend_case
from aptrack.core.tests.conftest import (  # noqa: F401 - fixtures used by name
    MOBILE,
    assert_accessible,
    browser,
    browser_problems,
    browser_world,
    chromium_executable,
    new_page,
    screenshot,
    sign_in,
)

pytestmark = pytest.mark.browser


def test_the_spend_page_is_accessible(browser_world, new_page):  # noqa: F811
    spend_case.build(browser_world)
    page = new_page()
    page.set_default_timeout(60_000)
    sign_in(page, "finance_a")
    page.goto("/invoices/spend/?year=2026")
    expect(page.get_by_role("heading", level=1)).to_have_text("Spend and value for money")
    expect(
        page.get_by_role("img", name="High-needs spend on AP against the budget")
    ).to_be_visible()
    expect(page.locator("#spend-provider + .app-table-wrapper")).to_contain_text("Harbour Learning")
    assert_accessible(page)
    screenshot(page, "commissioning-spend")


def test_the_spend_page_fits_a_phone(browser_world, new_page):  # noqa: F811
    spend_case.build(browser_world)
    page = new_page(viewport=MOBILE, is_mobile=True, has_touch=True, javascript=False)
    sign_in(page, "manager_a")
    page.goto("/invoices/spend/")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= MOBILE["width"], f"the spend page scrolls sideways on a phone: {width}"
    screenshot(page, "commissioning-spend-mobile")
