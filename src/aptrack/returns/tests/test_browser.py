"""Provider returns and the alerts page in a real Chromium, with and without JavaScript, and
axe-core.

The browser fixtures come from aptrack/core/tests/conftest.py (through this folder's
conftest.py); run only these with `pytest -m browser`.
"""

import datetime as dt

import pytest
import time_machine
from playwright.sync_api import expect

from aptrack.children.tests.factories import ChildFactory, PlacementFactory
from aptrack.core.tests.conftest import assert_accessible, click_and_wait, screenshot, sign_in
from aptrack.organisations.tests.factories import la
from aptrack.returns.models import ProviderReturn
from aptrack.returns.states import ReturnStatus

pytestmark = pytest.mark.browser

# The world's placements start on 7 September 2026: 99 days before this.
TODAY = dt.datetime(2026, 12, 15, 10, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_provider_makes_and_submits_a_return(browser_world, registered, new_page, javascript):
    page = new_page(javascript=javascript)

    def check(name=None):
        # axe runs as page script, so only with JavaScript on; without it the journey alone is
        # the test.
        if javascript:
            assert_accessible(page)
            if name:
                screenshot(page, name)

    sign_in(page, "provider_x")
    page.goto("/returns/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Provider returns")
    check("returns-list-provider")

    click_and_wait(page, page.get_by_role("button", name="Start a return"))
    click_and_wait(page, page.get_by_role("button", name="Start return"))
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    check()
    start = page.get_by_role("group", name="Start of the period")
    start.get_by_label("Day").fill("1")
    start.get_by_label("Month").fill("11")
    start.get_by_label("Year").fill("2026")
    end = page.get_by_role("group", name="End of the period")
    end.get_by_label("Day").fill("30")
    end.get_by_label("Month").fill("11")
    end.get_by_label("Year").fill("2026")
    click_and_wait(page, page.get_by_role("button", name="Start return"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Return for 1 November 2026 to 30 November 2026"
    )

    click_and_wait(page, page.get_by_role("button", name="Add a pupil", exact=True))
    check()
    page.get_by_label("Pupil").select_option(
        label=f"Alphasynth, {browser_world.child_a.legal_first_name} (born 14 March 2012)"
    )
    page.get_by_label("Hours a week attended").fill("25")
    page.get_by_label("X main site").check()
    click_and_wait(page, page.get_by_role("button", name="Add pupil"))

    click_and_wait(page, page.get_by_role("button", name="Add a pupil not on aptrack"))
    page.get_by_label("Age in years").fill("15")
    page.get_by_role("group", name="Is the pupil of compulsory school age?").get_by_label(
        "Yes"
    ).check()
    page.get_by_label("Looked after").check()
    page.get_by_label("Hours a week attended").fill("12")
    page.get_by_label("X main site").check()
    click_and_wait(page, page.get_by_role("button", name="Add pupil"))
    table = page.get_by_role("table", name="Pupils who attended")
    expect(table.locator("tbody tr")).to_have_count(2)
    check("returns-detail-draft")

    click_and_wait(page, page.get_by_role("button", name="Remove pupil 2"))
    expect(table.locator("tbody tr")).to_have_count(1)

    click_and_wait(page, page.get_by_role("button", name="Submit return"))
    click_and_wait(page, page.get_by_role("button", name="Submit return"))
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    check()
    page.get_by_label("I confirm this return lists every pupil").check()
    click_and_wait(page, page.get_by_role("button", name="Submit return"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Return submitted")
    expect(page.get_by_role("button", name="Add a pupil", exact=True)).to_have_count(0)
    check("returns-detail-submitted")
    assert ProviderReturn.objects.get().status == ReturnStatus.SUBMITTED


@time_machine.travel(TODAY)
def test_alerts_page(browser_world, registered, new_page):
    in_care = ChildFactory(
        home_la=la("838"), looked_after=True, responsible_la=la("838"), legal_last_name="Deltasynth"
    )
    PlacementFactory(
        child=in_care, provider=registered.x.organisation, start_date=dt.date(2026, 12, 1)
    )
    page = new_page()
    sign_in(page, "officer_a")
    page.goto("/returns/alerts/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Registration and time-limit alerts")
    expect(
        page.get_by_text("2 pupils full-time (18+ hours), including 1 looked after: must register")
    ).to_be_visible()
    rows = page.get_by_role("table", name="Non-school placements past 12 weeks").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("99")
    assert_accessible(page)
    screenshot(page, "returns-alerts")
