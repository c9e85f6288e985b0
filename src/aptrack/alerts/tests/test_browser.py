"""The inbox and an alert in a real Chromium: accessible (axe-core) and usable without
JavaScript. Uses the browser fixtures of aptrack.core.tests; skipped without Chromium."""

import pytest
from playwright.sync_api import expect

from aptrack.alerts.models import Alert
from aptrack.alerts.services import NOTE_REQUIRED
from aptrack.alerts.tests.conftest import MONDAY, check
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


def test_inbox_and_alert_are_accessible(browser_world, new_page):  # noqa: F811
    check(MONDAY, "10:00")
    page = new_page()
    sign_in(page, "officer_a")
    page.goto("/alerts/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Attendance alerts")
    assert_accessible(page)
    screenshot(page, "alerts-inbox")
    # Within the page's main part, by surname and first name: a generated surname alone can be
    # part of another link's name ("Ali" is in "Quality", in the service navigation).
    child = browser_world.child_a
    click_and_wait(
        page,
        page.locator("main").get_by_role(
            "link", name=f"{child.legal_last_name}, {child.legal_first_name}"
        ),
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("Whereabouts unknown")
    assert_accessible(page)
    click_and_wait(page, page.get_by_role("button", name="Resolve alert"))
    expect(page.locator(".govuk-error-summary")).to_contain_text(NOTE_REQUIRED)
    assert_accessible(page)


def test_resolve_works_without_javascript(browser_world, new_page):  # noqa: F811
    check(MONDAY, "10:00")
    alert = Alert.objects.get(child=browser_world.child_a)
    page = new_page(javascript=False)
    sign_in(page, "officer_a")
    page.goto(f"/alerts/{alert.pk}/")
    click_and_wait(page, page.get_by_role("button", name="Acknowledge alert"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("acknowledged")
    click_and_wait(page, page.get_by_role("button", name="Resolve alert"))
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    page.get_by_label("What was done, and where is the child?").fill("At home, unwell; mum rang")
    click_and_wait(page, page.get_by_role("button", name="Resolve alert"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("resolved")
    alert.refresh_from_db()
    assert alert.status == "RESOLVED"
