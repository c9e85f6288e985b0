"""The pages that matter, in a real Chromium: behaviour, an axe-core check and a screenshot.

Each test signs in through the real sign-in form. axe-core runs the WCAG 2.0, 2.1 and 2.2 A
and AA rules on each page and must find nothing. Full-page screenshots go to
/tmp/aptrack-shots/ for a person to look at. Run only these with `pytest -m browser`; the
fixtures (Chromium, live server, personas, axe) are in this folder's conftest.py.
"""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from aptrack.children.models import Child

from .conftest import MOBILE, assert_accessible, click_and_wait, screenshot, sign_in

pytestmark = pytest.mark.browser


def error_summary_links(page):
    """(text, href) of each link in the GOV.UK error summary."""
    links = page.locator(".govuk-error-summary__list a")
    return [
        (links.nth(i).inner_text(), links.nth(i).get_attribute("href"))
        for i in range(links.count())
    ]


def service_menu(page):
    return page.get_by_role("navigation", name="Service menu")


def listed_names(page):
    return (
        page.get_by_role("table", name="Children you can see")
        .locator("tbody tr td:first-child a")
        .all_inner_texts()
    )


def row_name(child):
    return f"{child.legal_last_name}, {child.legal_first_name}"


def test_sign_in(browser_world, new_page):
    page = new_page()
    response = page.goto("/accounts/sign-in/")
    assert response.status == 200
    assert page.title() == "Sign in – aptrack"
    page.wait_for_load_state("networkidle")
    assert page.evaluate(
        "() => getComputedStyle(document.querySelector('h1')).fontFamily"
    ).startswith('"GDS Transport"'), "GOV.UK Frontend's CSS did not load"
    assert page.evaluate("() => document.body.classList.contains('govuk-frontend-supported')"), (
        "GOV.UK Frontend's JavaScript did not run"
    )
    # Signed out there is nothing to navigate to, and no empty menu landmark either.
    expect(page.get_by_role("navigation")).to_have_count(0)
    assert_accessible(page)
    screenshot(page, "sign-in")

    page.get_by_label("Username").fill("officer_a")
    page.get_by_label("Password").fill("not the password")
    click_and_wait(page, page.get_by_role("button", name="Sign in"))
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert page.title().startswith("Error: ")
    links = error_summary_links(page)
    assert links == [
        ("Enter a correct username and password. Both are case-sensitive.", "#id_username")
    ]
    expect(page.get_by_label("Username")).to_have_value("officer_a")
    expect(page.get_by_label("Password")).to_have_value("")
    assert_accessible(page)
    screenshot(page, "sign-in-error")

    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Username")).to_be_focused()

    page.get_by_label("Password").fill("correct horse battery staple")
    click_and_wait(page, page.get_by_role("button", name="Sign in"))
    assert urlsplit(page.url).path == "/"
    expect(page.get_by_role("heading", level=1)).to_have_text("Alternative provision")
    menu = service_menu(page)
    # Home is the service name; the page has no current section in the menu.
    expect(page.get_by_role("link", name="Alternative provision (aptrack)")).to_have_attribute(
        "href", "/"
    )
    expect(menu.locator("[aria-current]")).to_have_count(0)
    # Who is signed in, and Sign out, at the end of the header.
    header = page.get_by_role("banner")
    expect(header).to_contain_text(
        f"Signed in as {browser_world.officer_a.display_name}, Dorset Council"
    )
    expect(header.get_by_role("button", name="Sign out")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "home")

    click_and_wait(page, header.get_by_role("button", name="Sign out"))
    assert "/accounts/sign-in/" in page.url
    page.goto("/children/")
    assert "/accounts/sign-in/" in page.url, "signed out, the register asks you to sign in"


def test_children_list(browser_world, new_page):
    world = browser_world
    page = new_page()
    sign_in(page, "officer_a")
    click_and_wait(page, service_menu(page).get_by_role("link", name="Children"))
    assert page.url.endswith("/children/")
    expect(service_menu(page).get_by_role("link", name="Children")).to_have_attribute(
        "aria-current", "page"
    )
    assert page.title() == "Children – aptrack"
    expect(page.get_by_role("status")).to_have_text("2 children")
    names = listed_names(page)
    assert sorted(names) == sorted([row_name(world.child_a), row_name(world.child_a2)])
    assert row_name(world.child_b) not in names  # Hackney's child
    expect(page.get_by_role("search", name="Filter children")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "children-list")

    page.get_by_label("Name, UPN or ULN").fill(world.child_a.legal_last_name)
    click_and_wait(page, page.get_by_role("button", name="Apply filters"))
    assert "q=" in page.url
    assert listed_names(page) == [row_name(world.child_a)]
    expect(page.get_by_role("status")).to_have_text("1 child")
    expect(page.get_by_label("Name, UPN or ULN")).to_have_value(world.child_a.legal_last_name)
    assert_accessible(page)
    screenshot(page, "children-list-search")

    # Another LA's child is not found by name either.
    page.get_by_label("Name, UPN or ULN").fill(world.child_b.legal_last_name)
    click_and_wait(page, page.get_by_role("button", name="Apply filters"))
    assert row_name(world.child_b) not in (
        listed_names(page) if page.get_by_role("table").count() else []
    )

    page.get_by_label("Name, UPN or ULN").fill("nobody-has-this-name")
    click_and_wait(page, page.get_by_role("button", name="Apply filters"))
    expect(page.get_by_role("status")).to_have_text("0 children")
    expect(page.get_by_text("No children match")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Looked after").select_option(label="Looked after")
    page.get_by_label("Name, UPN or ULN").fill("")
    click_and_wait(page, page.get_by_role("button", name="Apply filters"))
    assert listed_names(page) == [row_name(world.child_a2)]

    click_and_wait(page, page.get_by_role("link", name="Clear filters"))
    assert page.url.endswith("/children/")
    expect(page.get_by_role("status")).to_have_text("2 children")


def test_children_list_pages(browser_world, new_page):
    from aptrack.children.tests.factories import ChildFactory

    ChildFactory.create_batch(30, home_la=browser_world.child_a.home_la)
    page = new_page()
    sign_in(page, "officer_a")
    page.goto("/children/")
    expect(page.get_by_role("status")).to_have_text("32 children, page 1 of 2")
    pagination = page.get_by_role("navigation", name="Pagination")
    expect(pagination.get_by_role("link", name="Page 1")).to_have_attribute("aria-current", "page")
    assert_accessible(page)
    screenshot(page, "children-list-paginated")

    click_and_wait(page, pagination.get_by_role("link", name="Next"))
    assert "page=2" in page.url
    expect(page.get_by_role("status")).to_have_text("32 children, page 2 of 2")
    expect(page.locator("tbody tr")).to_have_count(7)
    assert_accessible(page)


def test_children_list_fits_a_phone(browser_world, new_page):
    page = new_page(viewport=MOBILE, is_mobile=True, has_touch=True, device_scale_factor=2)
    sign_in(page, "officer_a")
    page.goto("/children/")
    expect(page.get_by_role("table", name="Children you can see")).to_be_visible()
    widths = page.evaluate(
        "() => ({page: document.documentElement.scrollWidth, body: document.body.scrollWidth,"
        " viewport: window.innerWidth})"
    )
    assert widths["viewport"] == MOBILE["width"]
    assert widths["page"] <= MOBILE["width"], f"the page scrolls sideways on a phone: {widths}"
    assert widths["body"] <= MOBILE["width"], f"the page scrolls sideways on a phone: {widths}"
    # The table may be wider than the phone: it scrolls in its own box, which takes focus.
    region = page.get_by_role("region", name="Children you can see")
    expect(region).to_have_attribute("tabindex", "0")
    assert_accessible(page)
    screenshot(page, "children-list-mobile")

    # The service navigation folds behind a Menu button, which opens it.
    menu_button = page.get_by_role("button", name="Menu")
    expect(menu_button).to_be_visible()
    expect(service_menu(page).get_by_role("link", name="Children")).to_be_hidden()
    menu_button.click()
    expect(menu_button).to_have_attribute("aria-expanded", "true")
    expect(service_menu(page).get_by_role("link", name="Children")).to_be_visible()
    expect(page.get_by_role("banner").get_by_role("button", name="Sign out")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= MOBILE["width"]
    assert_accessible(page)
    screenshot(page, "children-list-mobile-menu")


def test_child_record_with_audit_trail(browser_world, new_page):
    child = browser_world.child_a
    page = new_page()
    sign_in(page, "manager_a")
    page.goto("/children/")
    click_and_wait(page, page.locator("main").get_by_role("link", name=row_name(child)))
    assert page.url.endswith(f"/children/{child.pk}/")
    assert page.title() == f"{child.full_name} – aptrack"
    expect(page.get_by_role("heading", level=1)).to_have_text(child.known_as)
    expect(page.get_by_role("heading", level=2, name="Audit trail")).to_be_visible()
    trail = page.get_by_role("table", name="Audit trail")
    # The children list that showed the child, then this very view, are on the trail (newest first).
    expect(trail.locator("tbody tr")).to_have_count(2)
    expect(trail.locator("tbody tr").first).to_contain_text(f"/children/{child.pk}/")
    expect(trail.locator("tbody tr").nth(1)).to_contain_text("/children/")
    for row in trail.locator("tbody tr").all():
        expect(row).to_contain_text("Viewed")
    expect(page.get_by_role("table", name="Placements")).to_contain_text("Provider X")
    assert_accessible(page)
    screenshot(page, "child-record")

    click_and_wait(page, page.get_by_role("button", name="Change record"))
    assert page.url.endswith(f"/children/{child.pk}/edit/")
    expect(page.get_by_label("Legal first name")).to_have_value(child.legal_first_name)
    expect(page.get_by_label("Year")).to_have_value(str(child.date_of_birth.year))
    assert_accessible(page)
    screenshot(page, "child-change")

    page.get_by_label("Preferred first name (optional)").fill("Sunny")
    click_and_wait(page, page.get_by_role("button", name="Save"))
    assert page.url.endswith(f"/children/{child.pk}/")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "record has been updated"
    )
    child.refresh_from_db()
    assert child.preferred_name == "Sunny"
    expect(page.get_by_role("heading", level=1)).to_have_text(child.known_as)
    # The change is on the trail, with what changed.
    expect(page.get_by_role("table", name="Audit trail")).to_contain_text("Sunny")
    assert_accessible(page)
    screenshot(page, "child-record-changed")


def test_child_record_fits_a_phone(browser_world, new_page):
    """The audit trail is the widest table: it scrolls in its own focusable box."""
    page = new_page(viewport=MOBILE, is_mobile=True, has_touch=True, device_scale_factor=2)
    sign_in(page, "manager_a")
    page.goto(f"/children/{browser_world.child_a.pk}/")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= MOBILE["width"]
    expect(page.get_by_role("region", name="Audit trail")).to_have_attribute("tabindex", "0")
    assert_accessible(page)
    screenshot(page, "child-record-mobile")


def test_officer_sees_no_audit_trail_and_unknown_child_is_not_found(
    browser_world, new_page, browser_problems
):
    page = new_page()
    sign_in(page, "officer_a")
    page.goto(f"/children/{browser_world.child_a.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(browser_world.child_a.known_as)
    expect(page.get_by_role("heading", name="Audit trail")).to_have_count(0)
    assert_accessible(page)

    # Another LA's child looks exactly like one that does not exist.
    browser_problems.expect("status of 404")
    for child_id in (browser_world.child_b.pk, 987654):
        response = page.goto(f"/children/{child_id}/")
        assert response.status == 404
        expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
        assert page.title() == "Page not found – aptrack"
    assert_accessible(page)
    screenshot(page, "not-found")


def test_add_a_child(browser_world, new_page):
    page = new_page()
    sign_in(page, "officer_a")
    page.goto("/children/")
    click_and_wait(page, page.get_by_role("button", name="Add a child"))
    assert page.url.endswith("/children/new/")
    assert page.title() == "Add a child – aptrack"
    assert_accessible(page)
    screenshot(page, "add-child")

    click_and_wait(page, page.get_by_role("button", name="Save"))
    assert page.title() == "Error: Add a child – aptrack"
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    # GOV.UK Frontend moves focus to the summary, so it is what a screen reader reads first.
    expect(summary).to_be_focused()
    links = dict(error_summary_links(page))
    assert links["Enter the child's legal first name"] == "#id_legal_first_name"
    assert links["Enter the child's legal last name"] == "#id_legal_last_name"
    assert links["Enter the date of birth"] == "#id_date_of_birth-day"
    assert page.locator(links["Select the child's sex"]).get_attribute("type") == "radio"
    for text, href in links.items():
        expect(page.locator(href), f"{text!r} links to {href}").to_have_count(1)
        # Each message is repeated by its field.
        expect(page.locator(".govuk-error-message", has_text=text)).to_have_count(1)
    assert_accessible(page)
    screenshot(page, "add-child-errors")

    summary.get_by_role("link", name="Enter the date of birth").click()
    expect(page.get_by_label("Day")).to_be_focused()
    summary.get_by_role("link", name="Enter the child's legal first name").click()
    expect(page.get_by_label("Legal first name")).to_be_focused()

    page.get_by_label("Legal first name").fill("Ada")
    page.get_by_label("Legal last name").fill("Browserton")
    page.get_by_label("Day").fill("5")
    page.get_by_label("Month").fill("11")
    page.get_by_label("Year").fill("2013")
    page.get_by_role("group", name="Sex").get_by_label("Female", exact=True).check()
    expect(page.get_by_label("Home local authority")).to_have_value(
        str(browser_world.child_a.home_la_id)
    )  # the officer's own LA to start with
    page.get_by_label("Home local authority").select_option(label="Dorset (838)")
    click_and_wait(page, page.get_by_role("button", name="Save"))

    assert re.search(r"/children/\d+/$", page.url), page.url
    child = Child.objects.get(legal_last_name="Browserton")
    assert page.url.endswith(f"/children/{child.pk}/")
    assert (child.legal_first_name, child.sex, child.home_la.code) == ("Ada", "F", "838")
    assert str(child.date_of_birth) == "2013-11-05"
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text("Ada Browserton has been added to the register")
    expect(banner).to_have_attribute("role", "alert")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ada Browserton")
    assert_accessible(page)
    screenshot(page, "add-child-done")


def test_add_a_child_keeps_a_half_typed_date(browser_world, new_page):
    page = new_page()
    sign_in(page, "officer_a")
    page.goto("/children/new/")
    page.get_by_label("Legal first name").fill("Half")
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("2")
    click_and_wait(page, page.get_by_role("button", name="Save"))
    assert dict(error_summary_links(page))["Date of birth must include a year"] == (
        "#id_date_of_birth-day"
    )
    expect(page.get_by_label("Legal first name")).to_have_value("Half")
    expect(page.get_by_label("Day")).to_have_value("31")
    expect(page.get_by_label("Month")).to_have_value("2")
    assert_accessible(page)
    screenshot(page, "add-child-date-error")


def test_register_works_without_javascript(browser_world, new_page):
    page = new_page(javascript=False)
    sign_in(page, "officer_a")
    expect(page.get_by_role("heading", level=1)).to_have_text("Alternative provision")
    # Without JavaScript the menu does not fold away: every item is there.
    expect(service_menu(page).get_by_role("link", name="Children")).to_be_visible()
    click_and_wait(page, service_menu(page).get_by_role("link", name="Children"))
    click_and_wait(page, page.get_by_role("button", name="Add a child"))
    assert page.url.endswith("/children/new/")

    click_and_wait(page, page.get_by_role("button", name="Save"))
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()

    page.get_by_label("Legal first name").fill("Nojs")
    page.get_by_label("Legal last name").fill("Scriptless")
    page.get_by_label("Day").fill("29")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("2012")
    page.get_by_role("group", name="Sex").get_by_label("Male", exact=True).check()
    page.get_by_label("Home local authority").select_option(label="Dorset (838)")
    click_and_wait(page, page.get_by_role("button", name="Save"))
    assert re.search(r"/children/\d+/$", page.url), page.url
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Nojs Scriptless has been added to the register"
    )
    assert Child.objects.filter(legal_last_name="Scriptless").exists()
    screenshot(page, "add-child-done-no-js")

    click_and_wait(page, page.get_by_role("button", name="Sign out"))
    assert "/accounts/sign-in/" in page.url


def test_the_checks_are_not_vacuous(browser_world, new_page, browser_problems):
    """axe does report a violation, and the CSP is in force (axe runs despite it, not by
    switching it off): a script injected into the page is refused, and that is reported."""
    page = new_page()
    page.goto("/accounts/sign-in/")
    assert_accessible(page)
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.injected = 1';"
        " document.body.append(s); }"
    )
    assert page.evaluate("() => window.injected") is None
    assert any("Content Security Policy" in m for m in browser_problems.messages)
    browser_problems.messages.clear()

    page.evaluate(
        "() => { const i = document.createElement('input'); i.id = 'unlabelled';"
        " document.querySelector('form').append(i); }"
    )
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page)
    assert "label (critical): Form elements must have labels" in str(failure.value)
    assert "#unlabelled" in str(failure.value)


def test_healthz(browser_world, new_page, browser_problems):
    browser_problems.expect("status of 404")  # Chromium asks for /favicon.ico for a JSON page
    page = new_page()
    response = page.goto("/healthz")
    assert response.status == 200
    assert response.json()["status"] == "ok"
    assert response.json()["database"]["status"] == "ok"
