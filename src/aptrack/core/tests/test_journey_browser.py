"""The whole journey as people walk it, in a real Chromium, through the pages only.

A Dorset officer refers a permanently excluded, looked-after child; the AP panel's chair approves
the referral at the meeting; the officer plans the placement from the panel's decision on the
sixth school day; the provider takes the register, marking everyone present but the child; the
officer triages the alert, sees the marks, records a review with the child's and family's views,
ends the placement with a destination, and records the 6- and 12-week follow-ups.

Setup only (before the first page): the people (the personas), the child, the provider on the
register with a site and Dorset's approval, and a panel with its chair and a quorate meeting.
After that every step is a page: each person signs in and follows links and buttons from where
they land, except the checks at the 10am register cut-off, which the background worker runs in
the demo and this test runs with the same command (`run-attendance-checks --at`).

Days pass through the app's clock: `django.utils.timezone.now`, read by every page and service,
is set for each step (time-machine's travelling clock and Playwright's event loop do not mix).
"""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from aptrack.alerts.models import Alert
from aptrack.attendance.models import AttendanceMark
from aptrack.children.tests.factories import ChildFactory
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
from aptrack.organisations.tests.factories import la
from aptrack.panels.models import Agency
from aptrack.panels.tests.factories import MeetingFactory, PanelFactory, PanelMemberFactory, quorate
from aptrack.placements.models import Placement
from aptrack.placements.tests.factories import ApprovalFactory, SiteFactory
from aptrack.providers.tests.factories import ProviderFactory
from aptrack.referrals.models import Referral

pytestmark = pytest.mark.browser
LONDON = ZoneInfo("Europe/London")


class Clock:
    """The app's clock for the test: every page reads `timezone.now()`."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 2, 9, 0, tzinfo=LONDON)

    def set(self, day: dt.date, hhmm: str) -> None:
        self.now = dt.datetime.combine(day, dt.time.fromisoformat(hhmm), tzinfo=LONDON)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(timezone, "now", lambda: clock.now.astimezone(dt.UTC))
    return clock


@pytest.fixture
def journey_setup(browser_world, monkeypatch):  # noqa: F811
    world = browser_world
    dorset = la("838")
    child = ChildFactory(
        legal_first_name="Jordan",
        legal_last_name="Walkerton",
        home_la=dorset,
        looked_after=True,
        responsible_la=dorset,
    )
    provider = ProviderFactory(
        organisation=world.provider_x.organisation, name="Provider X", hourly_rate=Decimal("18.00")
    )
    site = SiteFactory(provider=provider, name="Provider X main site")
    ApprovalFactory(provider=provider)
    from aptrack.quality.selectors import compliance as quality_compliance

    monkeypatch.setattr(quality_compliance, "is_provider_compliant", lambda provider, on: True)
    panel = PanelFactory(local_authority=dorset, name="Dorset AP panel")
    PanelMemberFactory(
        panel=panel,
        user=world.panel_member,
        name="Pat Chair",
        agency=Agency.SOCIAL_CARE,
        is_chair=True,
    )
    meeting = MeetingFactory(panel=panel, date=dt.date(2026, 11, 4))
    quorate(meeting)
    return child, site


def _date(page, name: str, day: dt.date) -> None:
    page.fill(f"#id_{name}-day", str(day.day))
    page.fill(f"#id_{name}-month", str(day.month))
    page.fill(f"#id_{name}-year", str(day.year))


def _person(new_page, username: str):  # noqa: F811
    page = new_page()
    sign_in(page, username)
    return page


# Pages reached through their group of the service navigation (core/navigation.py).
GROUP_OF = {"Panels": "Referrals", "Attendance": "Placements", "Alerts": "Placements"}


def _nav(page, text: str) -> None:
    """Open a page from the service navigation: its group, then the page in the group's pages."""
    group = GROUP_OF.get(text, text)
    menu = page.get_by_role("navigation", name="Service menu")
    click_and_wait(page, menu.get_by_role("link", name=group, exact=True))
    if group != text:
        pages = page.get_by_role("navigation", name=f"{group} pages")
        click_and_wait(page, pages.get_by_role("link", name=text, exact=True))


def _success(page, text: str) -> None:
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(text)


def test_a_child_from_referral_to_follow_up(journey_setup, clock, new_page):  # noqa: F811
    child, site = journey_setup
    name = "Jordan Walkerton"

    # Monday 2 November: the officer refers the child, permanently excluded that day.
    clock.set(dt.date(2026, 11, 2), "09:00")
    officer = _person(new_page, "officer_a")
    _nav(officer, "Referrals")
    click_and_wait(officer, officer.get_by_role("button", name="Start a referral"))
    officer.fill("input[name=q]", "Walkerton")
    click_and_wait(officer, officer.locator("main button"))
    click_and_wait(officer, officer.get_by_role("link", name=f"Refer {name}"))
    officer.check("input[name=route][value=PEX]")
    _date(officer, "first_day_of_exclusion", dt.date(2026, 11, 2))
    officer.select_option("select[name=primary_reason]", "PEX")
    officer.fill("textarea[name=needs_summary]", "Anxious after the exclusion; behind in maths")
    officer.fill("textarea[name=family_views]", "Carer wants a small setting close to home")
    officer.fill("textarea[name=child_views]", "I want to go back to a school one day")
    officer.check("input[name=consent_given]")
    officer.check("input[name=proposed_tier][value='2']")
    officer.fill("input[name=estimated_weekly_cost]", "450")
    click_and_wait(officer, officer.locator("main form button"))
    _success(officer, "saved as a draft")
    expect(officer.locator("main")).to_contain_text(
        "Full-time education is owed from 9 November 2026"
    )
    click_and_wait(officer, officer.get_by_role("button", name="Submit for a panel"))
    click_and_wait(officer, officer.get_by_role("button", name="Submit for a panel"))
    _success(officer, "submitted for a panel")

    # Wednesday 4 November, at the meeting: the manager puts it on the agenda, the chair decides.
    clock.set(dt.date(2026, 11, 4), "10:00")
    manager = _person(new_page, "manager_a")
    _nav(manager, "Panels")
    click_and_wait(manager, manager.get_by_role("link", name="Dorset AP panel"))
    click_and_wait(manager, manager.get_by_role("link", name="4 November 2026"))
    manager.locator("select[name=referral]").select_option(
        str(Referral.objects.get(child=child).pk)
    )
    click_and_wait(manager, manager.get_by_role("button", name="Add to agenda"))
    _success(manager, "added to the agenda as item 1")

    chair = _person(new_page, "panel_member")
    _nav(chair, "Panels")
    click_and_wait(chair, chair.get_by_role("link", name="4 November 2026").first)
    chair.get_by_text("Record the decision on item 1").click()
    chair.check("input[name$='-outcome'][value=APPROVED]")
    chair.fill(
        "textarea[name$='-reasons']", "A small setting meets Jordan's needs while a school is found"
    )
    chair.check("input[name$='-approved_tier'][value='2']")
    chair.locator("select[name$='-proposed_provider']").select_option(label="Provider X")
    chair.fill("input[name$='-proposed_weekly_cost']", "450")
    chair.fill(
        "textarea[name$='-value_for_money_note']",
        "£450 a week against £1,100 for the independent school",
    )
    click_and_wait(chair, chair.get_by_role("button", name="Record decision"))
    _success(chair, "decision on item 1 has been recorded")

    # Monday 9 November, the sixth school day: the officer plans the placement from the decision.
    clock.set(dt.date(2026, 11, 9), "08:30")
    officer = _person(new_page, "officer_a")
    _nav(officer, "Referrals")
    click_and_wait(officer, officer.get_by_role("link", name="Walkerton, Jordan"))
    screenshot(officer, "journey-referral")
    click_and_wait(officer, officer.get_by_role("button", name="Plan a placement"))
    expect(officer.locator("select[name=site]")).to_have_value(str(site.pk))
    expect(officer.locator("input[name=tier][value='2']")).to_be_checked()
    expect(officer.locator("input[name=weekly_cost]")).to_have_value("450.00")
    _date(officer, "start_date", dt.date(2026, 11, 9))
    _date(officer, "planned_end_date", dt.date(2026, 12, 18))
    officer.fill("input[name=hours_per_week]", "25")
    officer.fill(
        "textarea[name=exit_plan]", "A new mainstream school from January, with a phased start"
    )
    officer.fill("textarea[name=readiness_criteria]", "Attending 90% for four weeks")
    officer.fill("textarea[name=family_involvement]", "Weekly call with the carer")
    screenshot(officer, "journey-placement-plan-form")
    click_and_wait(officer, officer.get_by_role("button", name="Plan the placement"))
    _success(officer, "The placement has been planned")
    click_and_wait(officer, officer.get_by_role("link", name="Add an intended outcome"))
    officer.fill("input[name=description]", "Attend every day")
    officer.fill("input[name=measure]", "Attendance register")
    officer.fill("input[name=baseline]", "60%")
    officer.fill("input[name=target]", "95%")
    click_and_wait(officer, officer.get_by_role("button", name="Add outcome"))
    expect(officer.locator("main")).to_contain_text("As the panel approved")
    screenshot(officer, "journey-placement-plan")
    placement = Placement.objects.get(child=child)
    assert (placement.status, placement.tier, placement.weekly_cost) == (
        "ACTIVE",
        2,
        Decimal("450.00"),
    )

    # 09:30: the provider takes the register: everyone present but Jordan, not yet in.
    clock.set(dt.date(2026, 11, 9), "09:30")
    provider = _person(new_page, "provider_x")
    _nav(provider, "Attendance")
    expect(provider.get_by_role("heading", level=1)).to_have_text(
        "Register: 9 November 2026, morning"
    )
    provider.get_by_label("Mark every child without a code present").check()
    provider.get_by_label("Code for Jordan Walkerton", exact=True).fill("N")
    screenshot(provider, "journey-register")
    click_and_wait(provider, provider.get_by_role("button", name="Save register"))
    _success(provider, "Register saved for 9 November 2026")
    assert AttendanceMark.objects.get(placement=placement).code == "N"

    # 10:00, the register cut-off: the worker's checks raise "whereabouts unknown".
    clock.set(dt.date(2026, 11, 9), "10:00")
    call_command("run-attendance-checks", at="2026-11-09 10:00", verbosity=0)

    # 10:30: the officer triages the inbox (Jordan, looked after, first), then finds Jordan.
    clock.set(dt.date(2026, 11, 9), "10:30")
    officer = _person(new_page, "officer_a")
    _nav(officer, "Alerts")
    first_row = officer.locator("main tbody tr").first
    expect(first_row).to_contain_text("Walkerton, Jordan")
    expect(first_row).to_contain_text("Looked after")
    assert_accessible(officer)
    screenshot(officer, "journey-alerts-inbox")
    first_row.locator("input[name=alert]").check()
    click_and_wait(officer, officer.get_by_role("button", name="Acknowledge selected alerts"))
    _success(officer, "1 alert acknowledged")
    click_and_wait(officer, officer.get_by_role("link", name="Walkerton, Jordan").first)
    officer.fill(
        "textarea[name=resolution_note]", "Carer phoned: Jordan overslept and arrives at 11"
    )
    click_and_wait(officer, officer.get_by_role("button", name="Resolve alert"))
    _success(officer, "Alert resolved")
    assert Alert.objects.get(child=child).status == "RESOLVED"
    _nav(officer, "Children")
    officer.fill("input[name=q]", "Walkerton")
    click_and_wait(officer, officer.locator("main form button").first)
    click_and_wait(officer, officer.get_by_role("link", name="Walkerton, Jordan").first)
    click_and_wait(officer, officer.get_by_role("link", name="Attendance", exact=True).last)
    expect(officer.locator("main")).to_contain_text("No reason yet")

    # Friday 4 December: the review, with Jordan's and the carer's views, ends the placement.
    clock.set(dt.date(2026, 12, 4), "14:00")
    officer = _person(new_page, "officer_a")
    _nav(officer, "Placements")
    click_and_wait(
        officer,
        officer.locator(f"main a[href='{reverse('placements:detail', args=[placement.pk])}']"),
    )
    click_and_wait(officer, officer.get_by_role("button", name="Record a review"))
    _date(officer, "held_date", dt.date(2026, 12, 4))
    officer.fill("textarea[name=child_views]", "I'm ready for the new school")
    officer.fill("textarea[name=family_views]", "The carer agrees: a January start")
    officer.check("input[name^=score_][value='4']")
    officer.check("input[name=decision][value=END]")
    officer.fill("textarea[name=decision_reason]", "Readiness criteria met")
    click_and_wait(officer, officer.locator("main form button").first)
    _date(officer, "end_date", dt.date(2026, 12, 4))
    officer.check("input[name=reason][value=COMPLETED]")
    officer.check("input[name=destination][value=NEW_MAINSTREAM]")
    officer.fill("textarea[name=transition_plan]", "Phased start at the new school on 5 January")
    click_and_wait(officer, officer.locator("main form button").first)
    _success(officer, "ended")
    expect(officer.locator("main")).to_contain_text("Can be recorded from 15 January 2027")

    # The follow-ups, each on the day it falls due.
    for day, weeks in ((dt.date(2027, 1, 15), 6), (dt.date(2027, 2, 26), 12)):
        clock.set(day, "10:00")
        officer = _person(new_page, "officer_a")
        _nav(officer, "Children")
        officer.fill("input[name=q]", "Walkerton")
        click_and_wait(officer, officer.locator("main form button").first)
        click_and_wait(officer, officer.get_by_role("link", name="Walkerton, Jordan").first)
        click_and_wait(officer, officer.get_by_role("link", name="Provider X").first)
        click_and_wait(officer, officer.get_by_role("link", name=f"Record the {weeks}-week check"))
        _date(officer, "done_date", day)
        officer.check("input[name=still_attending][value=yes]")
        officer.check("input[name=destination_sustained][value=yes]")
        click_and_wait(officer, officer.locator("main form button").first)
        _success(officer, f"The {weeks}-week follow-up has been recorded")
    placement.refresh_from_db()
    assert (placement.status, placement.destination) == ("ENDED", "NEW_MAINSTREAM")
    assert [f.done_date for f in placement.follow_ups.order_by("weeks_after")] == [
        dt.date(2027, 1, 15),
        dt.date(2027, 2, 26),
    ]
