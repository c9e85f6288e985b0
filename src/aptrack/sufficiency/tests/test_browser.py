"""The sufficiency page in a real Chromium: accessible (axe-core), its charts labelled. Uses the
browser fixtures of aptrack.core.tests; skipped without Chromium."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from aptrack.children.tests.factories import ChildFactory
from aptrack.core.tests.conftest import (  # noqa: F401 - fixtures used by name
    assert_accessible,
    browser,
    browser_problems,
    browser_world,
    chromium_executable,
    new_page,
    screenshot,
    sign_in,
)
from aptrack.referrals.tests.factories import ReferralFactory

pytestmark = pytest.mark.browser


def test_the_sufficiency_page_is_accessible(browser_world, new_page):  # noqa: F811
    dorset = browser_world.child_a.home_la
    for days in (3, 40):
        ReferralFactory(
            child=ChildFactory(home_la=dorset, postcode="DT1 1AA"),
            referrer=browser_world.officer_a,
            status="APPROVED",
            created_at=timezone.now() - dt.timedelta(days=days),
        )
    page = new_page()
    sign_in(page, "officer_a")
    page.goto("/sufficiency/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Sufficiency of alternative provision"
    )
    expect(page.locator("#totals")).to_contain_text("Referrals awaiting placement")
    expect(
        page.get_by_role("img", name="Referrals by term, with next term projected")
    ).to_be_visible()
    assert_accessible(page)
    screenshot(page, "sufficiency")
