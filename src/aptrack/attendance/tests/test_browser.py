"""The register in a real Chromium: on a phone, without JavaScript, and accessible (axe-core).

Uses the browser fixtures of aptrack.core.tests (Chromium, live server, axe); skipped without
Chromium, like the others. Run only these with `pytest -m browser`.
"""

import pytest
from playwright.sync_api import expect

from aptrack.attendance.models import AttendanceMark
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

pytestmark = pytest.mark.browser


# A past school day on which child_a is placed with provider X (the live server keeps the real
# clock: Playwright's event loop and a travelling clock do not mix).
MONDAY_AM = "/attendance/?date-day=23&date-month=11&date-year=2026&session=AM"


def test_register_fits_a_phone_and_is_accessible(browser_world, new_page, monkeypatch):  # noqa: F811
    from aptrack.attendance import views
    from aptrack.children.tests.factories import PlacementFactory

    # Two children on pages of one: the page links are on the page checked.
    monkeypatch.setattr(views, "REGISTER_PAGE_SIZE", 1)
    PlacementFactory(provider=browser_world.provider_x.organisation, status="ACTIVE")
    page = new_page(viewport=MOBILE, is_mobile=True, has_touch=True, device_scale_factor=2)
    sign_in(page, "provider_x")
    page.goto(MONDAY_AM)
    expect(page.get_by_role("heading", level=1)).to_have_text("Register: 23 November 2026, morning")
    expect(page.get_by_role("navigation", name="Pagination")).to_be_visible()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= MOBILE["width"], f"the register scrolls sideways on a phone: {width}"
    assert_accessible(page)
    screenshot(page, "attendance-register-mobile")


def test_register_works_without_javascript(browser_world, new_page):  # noqa: F811
    # axe needs JavaScript, so this page is checked in the test above.
    child = browser_world.child_a
    page = new_page(viewport=MOBILE, is_mobile=True, has_touch=True, javascript=False)
    sign_in(page, "provider_x")
    page.goto(MONDAY_AM)
    page.get_by_label(f"Code for {child.known_as}").fill("L")
    page.get_by_label(f"Minutes late for {child.known_as}").fill("ten")
    click_and_wait(page, page.get_by_role("button", name="Save register"))
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter minutes late as a whole number"
    )

    page.get_by_label(f"Minutes late for {child.known_as}").fill("10")
    click_and_wait(page, page.get_by_role("button", name="Save register"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("1 new")
    mark = AttendanceMark.objects.get()
    assert (mark.code, mark.minutes_late, mark.batch.channel) == ("L", 10, "REGISTER")
    screenshot(page, "attendance-register-saved-no-js")


def test_upload_and_measures_pages_are_accessible(browser_world, new_page):  # noqa: F811
    page = new_page()
    sign_in(page, "provider_x")
    page.goto("/attendance/upload/")
    click_and_wait(page, page.get_by_role("button", name="Upload and check"))
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    page.goto("/attendance/measures/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Attendance, 20")
    assert_accessible(page)
    screenshot(page, "attendance-measures")
