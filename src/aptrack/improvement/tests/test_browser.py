"""The improvement plan in a real Chromium with axe-core: a manager reads the plan, then
records a RAG change on an action. Run only these with `pytest -m browser`."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from aptrack.core.tests.conftest import assert_accessible, click_and_wait, screenshot, sign_in
from aptrack.improvement.tests.factories import ActionFactory

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("javascript", [False, True], ids=["without-js", "with-js"])
def test_manager_updates_an_action_rag_status(browser_world, new_page, javascript):
    world = browser_world
    action = ActionFactory(
        priority__plan__created_by=world.manager_a,
        due_date=timezone.localdate() - dt.timedelta(days=3),
    )
    plan = action.priority.plan
    page = new_page(javascript=javascript)
    # The live server's first answer can be slow on a busy machine: wait longer for it once.
    page.goto("/accounts/sign-in/", timeout=60_000)
    sign_in(page, "manager_a")
    page.goto(f"/improvement/{plan.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(plan.title)
    expect(page.get_by_text("Overdue by 3 days")).to_be_visible()
    if javascript:
        assert_accessible(page)
        screenshot(page, "improvement-plan")
    click_and_wait(page, page.get_by_role("link", name=action.title))
    click_and_wait(page, page.get_by_role("button", name="Record update"))
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    if javascript:
        assert_accessible(page)
    page.get_by_label("Red: off track").check()
    page.get_by_label("Update").fill("The PRU has no places this term")
    click_and_wait(page, page.get_by_role("button", name="Record update"))
    expect(page.get_by_text("status changed from Not started to Red: off track")).to_be_visible()
    if javascript:
        assert_accessible(page)
        screenshot(page, "improvement-action")
