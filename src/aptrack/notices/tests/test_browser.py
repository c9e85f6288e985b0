"""A school's exclusion notice in a real Chromium with axe-core: the form (and its error
summary) is accessible, and the notice reaches the LA's caseworker home. Run with
`pytest -m browser`."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from aptrack.children import upn
from aptrack.core.tests.conftest import (
    MOBILE,
    assert_accessible,
    click_and_wait,
    screenshot,
    sign_in,
)

pytestmark = pytest.mark.browser


def test_school_notifies_a_permanent_exclusion_and_the_officer_sees_it(browser_world, new_page):
    page = new_page()
    page.goto("/accounts/sign-in/", timeout=60_000)
    sign_in(page, "school_y")
    page.goto("/notices/exclusion/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Notify the local authority of an exclusion"
    )
    assert_accessible(page)
    click_and_wait(page, page.get_by_role("button", name="Send to the local authority"))
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)

    today = timezone.localdate()
    page.get_by_label("Unique pupil number (UPN)").fill(upn.make("838", "4101", "21", "779"))
    page.get_by_label("Legal first name").fill("Ptolemy")
    page.get_by_label("Legal last name").fill("Gisborne")
    page.locator("#id_date_of_birth-day").fill("2")
    page.locator("#id_date_of_birth-month").fill("2")
    page.locator("#id_date_of_birth-year").fill("2012")
    page.get_by_label("Sex").select_option("M")
    page.get_by_label("Permanent exclusion").check()
    page.locator("#id_first_day-day").fill(str(today.day))
    page.locator("#id_first_day-month").fill(str(today.month))
    page.locator("#id_first_day-year").fill(str(today.year))
    page.get_by_label("Reason").select_option("PA")
    click_and_wait(page, page.get_by_role("button", name="Send to the local authority"))
    expect(page.get_by_text("The local authority has your notice")).to_be_visible()
    # The school lands on the notice it sent.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Permanent exclusion: Ptolemy Gisborne"
    )
    expect(page.get_by_role("link", name="Back to notices from schools")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "notice-sent")

    officer = new_page()
    sign_in(officer, "officer_a")
    officer.goto("/placements/home/")
    expect(officer.get_by_text("Gisborne").first).to_be_visible()

    # The LA's officer opens it from the notices list, on a phone too.
    officer.set_viewport_size(MOBILE)
    officer.goto("/notices/")
    assert_accessible(officer)
    click_and_wait(
        officer, officer.get_by_role("link", name="Permanent exclusion notice for Ptolemy")
    )
    expect(officer.get_by_role("heading", level=1)).to_contain_text("Ptolemy Gisborne")
    expect(officer.get_by_role("link", name="Ptolemy Gisborne", exact=True)).to_be_visible()
    expect(
        officer.get_by_role("link", name=re.compile(r"^Referral \d+ for Ptolemy Gisborne$"))
    ).to_be_visible()
    assert officer.evaluate("() => document.documentElement.scrollWidth") <= MOBILE["width"]
    assert_accessible(officer)
    screenshot(officer, "notice-mobile")
