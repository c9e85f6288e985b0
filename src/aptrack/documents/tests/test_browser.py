"""Uploading a placement's agreement and a report's evidence, and choosing notifications, in a
real Chromium: accessible (axe-core). Uses the browser fixtures of aptrack.core.tests; skipped without Chromium."""

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
from aptrack.documents.tests.conftest import PDF_BYTES
from aptrack.placements.models import Placement
from aptrack.reports.tests.factories import ReportFactory

pytestmark = pytest.mark.browser


def test_upload_and_list_a_placement_agreement(browser_world, new_page):  # noqa: F811
    placement = Placement.objects.get(child=browser_world.child_a)
    page = new_page()
    sign_in(page, "officer_a")
    page.goto(f"/documents/placements/{placement.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Documents")
    assert_accessible(page)
    click_and_wait(page, page.get_by_role("button", name="Upload", exact=True))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select a file")
    assert_accessible(page)
    page.get_by_label("Title").fill("Signed agreement")
    page.get_by_label("Upload a file").set_input_files(
        {"name": "agreement.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    click_and_wait(page, page.get_by_role("button", name="Upload", exact=True))
    expect(page.get_by_role("link", name="Signed agreement")).to_be_visible()
    assert_accessible(page)


def test_a_provider_sends_work_with_its_report_and_the_officer_downloads_it(
    browser_world,  # noqa: F811
    new_page,  # noqa: F811
):
    placement = Placement.objects.get(child=browser_world.child_a)
    report = ReportFactory(placement=placement, submitted_by=browser_world.provider_x)
    page = new_page()
    page.goto("/accounts/sign-in/", timeout=60_000)
    sign_in(page, "provider_x")
    page.goto(f"/reports/{report.pk}/")
    documents = page.get_by_role("heading", name="Documents sent with this report")
    expect(documents).to_be_visible()
    click_and_wait(page, page.get_by_role("link", name="Add a document to this report"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Documents: Report for Autumn 1 2026")
    page.get_by_label("Title").fill("Sample of English work")
    page.get_by_label("Upload a file").set_input_files(
        {"name": "work.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    click_and_wait(page, page.get_by_role("button", name="Upload", exact=True))
    expect(page.get_by_role("link", name="Sample of English work")).to_be_visible()
    assert_accessible(page)
    click_and_wait(page, page.get_by_role("link", name="Back"))
    assert page.url.endswith(f"/reports/{report.pk}/")

    officer = new_page()
    sign_in(officer, "officer_a")
    officer.goto(f"/reports/{report.pk}/")
    link = officer.get_by_role("link", name="Sample of English work (download)")
    expect(link).to_be_visible()
    expect(officer.get_by_role("link", name="Add a document to this report")).to_have_count(0)
    assert_accessible(officer)
    screenshot(officer, "report-with-documents")
    with officer.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "work.pdf"


def test_notification_choices_are_accessible(browser_world, new_page):  # noqa: F811
    page = new_page()
    sign_in(page, "officer_a")
    page.goto("/notifications/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    assert_accessible(page)
    page.get_by_label("Also send me a text message for urgent alerts").check()
    click_and_wait(page, page.get_by_role("button", name="Save"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a mobile number")
    assert_accessible(page)
