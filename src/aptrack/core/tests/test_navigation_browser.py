"""The service navigation in a real Chromium: one row on a laptop for the role with the most
pages, a Menu button on a phone, and a group's pages in a sub navigation (axe-clean)."""

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP, MOBILE, assert_accessible, click_and_wait, screenshot, sign_in

pytestmark = pytest.mark.browser

ROWS = """() => {
  const tops = [...document.querySelectorAll('.govuk-service-navigation__item')]
    .map(item => Math.round(item.getBoundingClientRect().top));
  return {rows: new Set(tops).size, items: tops.length,
          page: document.documentElement.scrollWidth};
}"""


def service_menu(page):
    return page.get_by_role("navigation", name="Service menu")


@pytest.mark.parametrize("persona", ["officer_a", "manager_a"])
def test_the_navigation_is_one_row_on_a_laptop(browser_world, new_page, persona):
    page = new_page(viewport=DESKTOP)
    page.goto("/accounts/sign-in/", timeout=60_000)  # the live server's first page is slow
    sign_in(page, persona)
    measured = page.evaluate(ROWS)
    # The seven groups, on one row (the user's name and Sign out are in the header).
    assert measured["items"] == 7, measured
    assert measured["rows"] == 1, f"the navigation wraps at {DESKTOP['width']}px: {measured}"
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    assert_accessible(page)
    screenshot(page, f"navigation-{persona}-desktop")

    click_and_wait(page, service_menu(page).get_by_role("link", name="Placements"))
    pages = page.get_by_role("navigation", name="Placements pages")
    expect(pages.get_by_role("link")).to_have_text(
        ["Placements", "Provider reports", "Attendance", "Alerts"]
    )
    expect(pages.get_by_role("link", name="Placements")).to_have_attribute("aria-current", "page")
    expect(service_menu(page).get_by_role("link", name="Placements")).to_have_attribute(
        "aria-current", "page"
    )
    click_and_wait(page, pages.get_by_role("link", name="Alerts"))
    assert page.url.endswith("/alerts/")
    expect(pages.get_by_role("link", name="Alerts")).to_have_attribute("aria-current", "page")
    # The group stays marked in the bar, as a section rather than the page itself.
    expect(service_menu(page).get_by_role("link", name="Placements")).to_have_attribute(
        "aria-current", "true"
    )
    assert page.evaluate(ROWS)["rows"] == 1
    assert_accessible(page)
    screenshot(page, f"navigation-{persona}-group-desktop")


def test_the_navigation_folds_behind_a_menu_button_on_a_phone(browser_world, new_page):
    page = new_page(viewport=MOBILE)
    page.goto("/accounts/sign-in/", timeout=60_000)
    sign_in(page, "officer_a")
    page.goto("/referrals/")
    menu_button = page.get_by_role("button", name="Menu")
    expect(menu_button).to_be_visible()
    expect(menu_button).to_have_attribute("aria-expanded", "false")
    expect(service_menu(page).get_by_role("link", name="Oversight")).to_be_hidden()
    # The group's pages stay in view, in rows across the phone rather than a stack.
    pages = page.get_by_role("navigation", name="Referrals pages")
    expect(pages.get_by_role("link", name="Panels")).to_be_visible()
    tops = pages.get_by_role("link").evaluate_all(
        "links => links.map(link => Math.round(link.getBoundingClientRect().top))"
    )
    assert len(set(tops)) < len(tops), f"the sub navigation stacks one link a row: {tops}"
    assert page.evaluate(ROWS)["page"] <= MOBILE["width"], "the page scrolls sideways"
    assert_accessible(page)
    screenshot(page, "navigation-mobile")

    menu_button.click()
    expect(menu_button).to_have_attribute("aria-expanded", "true")
    expect(service_menu(page).get_by_role("link", name="Oversight")).to_be_visible()
    assert page.evaluate(ROWS)["page"] <= MOBILE["width"], "the open menu scrolls sideways"
    assert_accessible(page)
    screenshot(page, "navigation-mobile-open")
    click_and_wait(page, service_menu(page).get_by_role("link", name="Oversight"))
    assert page.url.endswith("/oversight/")
