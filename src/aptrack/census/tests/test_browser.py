"""The AP census page in a real Chromium with axe-core: an officer sees the validation report,
records a missing primary reason, and the census file is offered. Run with `pytest -m browser`."""

import pytest
from playwright.sync_api import expect

from aptrack.core.tests.conftest import assert_accessible, click_and_wait, screenshot, sign_in

pytestmark = pytest.mark.browser


def test_officer_fixes_the_census_and_is_offered_the_file(browser_world, new_page):
    page = new_page()
    # The live server's first answer can be slow on a busy machine: wait longer for it once.
    page.goto("/accounts/sign-in/", timeout=60_000)
    sign_in(page, "officer_a")
    page.goto("/census/")
    expect(page.get_by_role("heading", level=1)).to_have_text("AP census return")
    # The world's Dorset placement has no referral and its provider is not on the register.
    expect(page.get_by_text("The census file cannot be downloaded")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "census-errors")
    click_and_wait(page, page.get_by_role("link", name="record the reason").first)
    page.get_by_label("Medical or health needs").check()
    click_and_wait(page, page.get_by_role("button", name="Save reason"))
    expect(page.get_by_text("Primary reason recorded")).to_be_visible()
    assert_accessible(page)
