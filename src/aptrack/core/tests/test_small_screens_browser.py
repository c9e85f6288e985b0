"""The officer's pages on a phone (375px) in a real Chromium: wide tables and charts scroll or
shrink inside the page, never the page sideways, and every page stays axe-clean."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from aptrack.panels.tests.factories import PanelFactory, PanelMemberFactory
from aptrack.placements.models import Placement

from .conftest import MOBILE, assert_accessible, screenshot, sign_in

pytestmark = pytest.mark.browser

WIDTHS = """() => ({page: document.documentElement.scrollWidth, body: document.body.scrollWidth})"""


def test_wide_tables_and_charts_stay_inside_a_phones_width(browser_world, new_page):
    world = browser_world
    panel = PanelFactory(local_authority=world.child_a.home_la)
    PanelMemberFactory(panel=panel)
    placement = Placement.objects.get(child=world.child_a)
    page = new_page(viewport=MOBILE)
    page.goto("/accounts/sign-in/", timeout=60_000)
    sign_in(page, "officer_a")
    for name, url in (
        ("sufficiency", reverse("sufficiency:page")),
        ("panels", reverse("panels:list")),
        ("panel", reverse("panels:detail", args=[panel.pk])),
        ("caseload", reverse("placements:home")),
        ("reports-overdue", reverse("reports:overdue")),
        ("placement-reports", reverse("reports:placement", args=[placement.pk])),
        ("sixth-day", reverse("referrals:sixth_day")),
        ("notifications", reverse("notifications:preferences")),
    ):
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        widths = page.evaluate(WIDTHS)
        assert widths["page"] <= MOBILE["width"], f"{url} scrolls sideways on a phone: {widths}"
        assert widths["body"] <= MOBILE["width"], f"{url} scrolls sideways on a phone: {widths}"
        assert_accessible(page)
        screenshot(page, f"phone-{name}")
