"""The half-termly report form in a real Chromium, checked with axe-core (WCAG 2.2 AA); skipped
without Chromium, like the other browser tests. Run only these with `pytest -m browser`."""

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
from aptrack.placements.models import IntendedOutcome, Placement

pytestmark = pytest.mark.browser


def test_the_report_form_is_accessible_and_the_la_reads_it_at_review(browser_world, new_page):  # noqa: F811
    placement = Placement.objects.get(child=browser_world.child_a)
    IntendedOutcome.objects.create(
        placement=placement,
        description="Attends every morning",
        measure="Morning sessions attended",
        baseline="40%",
        target="90%",
    )
    page = new_page()
    # The live server's first page compiles the templates: slow on a busy machine.
    page.goto("/accounts/sign-in/", timeout=60_000)
    sign_in(page, "provider_x")
    page.goto(f"/reports/placements/{placement.pk}/new/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Half-termly report")
    assert_accessible(page)
    click_and_wait(page, page.get_by_role("button", name="Send the report"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter progress in English")
    assert_accessible(page)
    page.get_by_label("Autumn 1 2026/27").check()
    page.get_by_role("group", name="Progress: Attends every morning").get_by_label("4").check()
    page.get_by_label("Progress in English").fill("Reads a chapter a week")
    page.get_by_label("Progress in maths").fill("Fractions secure")
    page.get_by_label("Wellbeing").fill("Settled")
    page.get_by_label("The child's own words").fill("Nobody shouts here")
    page.get_by_label("The child gave their words with a member of staff").check()
    page.get_by_label("Next steps").fill("Start GCSE English")
    click_and_wait(page, page.get_by_role("button", name="Send the report"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("has been sent")
    assert_accessible(page)
    screenshot(page, "reports-detail")

    page = new_page()
    sign_in(page, "officer_a")
    page.goto(f"/placements/{placement.pk}/reviews/new/")
    expect(page.get_by_text("Nobody shouts here")).to_be_visible()
    assert_accessible(page)
