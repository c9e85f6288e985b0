"""Outcomes pages in a real Chromium, checked with axe-core (WCAG 2.2 AA); skipped without
Chromium, like the other browser tests. Run only these with `pytest -m browser`."""

import datetime as dt
from decimal import Decimal

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
from aptrack.outcomes.tests.factories import (
    AttainmentFactory,
    PriorAttendanceFactory,
    QualificationFactory,
    WellbeingFactory,
)
from aptrack.placements.models import Placement

pytestmark = pytest.mark.browser


def test_outcomes_page_and_grade_form_are_accessible(browser_world, new_page):  # noqa: F811
    placement = Placement.objects.get(child=browser_world.child_a)
    PriorAttendanceFactory(placement=placement, attendance_percent=Decimal("44.0"))
    AttainmentFactory(placement=placement, grade=0)
    AttainmentFactory(
        placement=placement, point="REVIEW", grade=1, assessed_date=dt.date(2026, 10, 19)
    )
    QualificationFactory(placement=placement)
    WellbeingFactory(placement=placement, score=5)
    page = new_page()
    # The live server's first page compiles the templates: slow on a busy machine.
    page.goto("/accounts/sign-in/", timeout=60_000)
    sign_in(page, "officer_a")
    page.goto(f"/outcomes/placements/{placement.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Outcomes of the placement")
    expect(page.get_by_role("table", name="English")).to_contain_text("Entry Level 3")
    assert_accessible(page)
    screenshot(page, "outcomes-placement")
    click_and_wait(page, page.get_by_role("button", name="Record a grade"))
    click_and_wait(page, page.get_by_role("button", name="Save the grade"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select English or maths")
    assert_accessible(page)


def test_outreach_pages_are_accessible(browser_world, new_page):  # noqa: F811
    page = new_page()
    sign_in(page, "officer_a")
    page.goto("/outcomes/outreach/new/")
    page.get_by_label("School", exact=True).select_option(label="School Y")
    page.get_by_label("Day").first.fill("14")
    page.get_by_label("Month").first.fill("9")
    page.get_by_label("Year").first.fill("2026")
    page.get_by_label("Pupils supported").fill("4")
    page.get_by_label("Hours of support").fill("12")
    page.get_by_label("Purpose").fill("Nurture group for Year 7")
    assert_accessible(page)
    click_and_wait(page, page.get_by_role("button", name="Save the support"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("recorded")
    expect(page.get_by_role("table", name="All outreach support, newest first")).to_contain_text(
        "School Y"
    )
    assert_accessible(page)
    screenshot(page, "outcomes-outreach")
