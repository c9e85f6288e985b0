"""Each remaining role's main job, walked in a real Chromium from their home page after sign-in.

The referral-to-follow-up journey (LA officer, LA manager as panel chair, provider staff) is
test_journey_browser.py. Here: school staff (following their pupil into AP, and commissioning
AP), social worker, virtual school head, QA lead, analyst and panel member, one short walk each.
Setup (before the first page) adds only what the walk needs to the personas' world; after
sign-in every step is a link or a button.
"""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from aptrack.alerts.models import Alert
from aptrack.alerts.states import AlertKind
from aptrack.attendance.models import AttendanceMark, MarkBatch
from aptrack.children.tests.factories import PlacementFactory
from aptrack.core.tests.conftest import (  # noqa: F401 - fixtures used by name
    assert_accessible,
    browser,
    browser_problems,
    browser_world,
    chromium_executable,
    click_and_wait,
    new_page,
    sign_in,
)
from aptrack.core.tests.test_journey_browser import _date
from aptrack.organisations.tests.factories import la
from aptrack.panels.models import AgendaItem, MeetingStatus
from aptrack.panels.tests.factories import MeetingFactory, PanelFactory, PanelMemberFactory
from aptrack.placements.tests.factories import ApprovalFactory, ReferralFactory
from aptrack.providers.tests.factories import ProviderFactory

pytestmark = pytest.mark.browser


def _home(new_page, username: str):  # noqa: F811
    page = new_page()
    sign_in(page, username)
    expect(page.get_by_role("heading", level=1)).to_have_text("Alternative provision")
    return page


def _follow(page, name: str, *, within: str = "main") -> None:
    click_and_wait(page, page.locator(within).get_by_role("link", name=name).first)


def test_school_staff_follow_their_pupil_into_ap(browser_world, new_page):  # noqa: F811
    school = _home(new_page, "school_y")
    _follow(school, "1 child")
    expect(school.locator("main tbody")).not_to_contain_text("Pendlebury")
    _follow(school, "Marchbank, Ottilie")
    expect(school.locator("main")).to_contain_text("School Y")
    _follow(school, "Provider X")
    expect(school.get_by_role("heading", level=1)).to_have_text("Placement at Provider X")
    expect(school.locator("main")).to_contain_text("Ottilie Marchbank")
    assert_accessible(school)


def test_social_worker_acknowledges_an_escalated_alert(browser_world, new_page):  # noqa: F811
    world = browser_world
    child = world.child_a
    now = timezone.now()
    Alert.objects.create(
        kind=AlertKind.WHEREABOUTS_UNKNOWN,
        child=child,
        placement=child.placements.get(),
        local_authority=child.home_la,
        session_date=now.date(),
        session="AM",
        reason="No mark at the register cut-off",
        raised_at=now - dt.timedelta(hours=2),
        escalated_at=now - dt.timedelta(hours=1),
        escalated_to_social_worker=world.social_worker,
    )
    worker = _home(new_page, "social_worker")
    _follow(worker, "1 open attendance alert")
    _follow(worker, "Marchbank, Ottilie")
    expect(worker.locator("main")).to_contain_text("Whereabouts unknown")
    click_and_wait(worker, worker.get_by_role("button", name="Acknowledge alert"))
    expect(worker.locator(".govuk-notification-banner--success")).to_contain_text(
        "Alert acknowledged"
    )
    assert Alert.objects.get(child=child).acknowledged_by == world.social_worker
    assert_accessible(worker)


def test_virtual_school_head_sees_a_looked_after_childs_placement(browser_world, new_page):  # noqa: F811
    world = browser_world
    placement = PlacementFactory(
        child=world.child_a2,
        provider=world.provider_x.organisation,
        commissioning_la=world.child_a2.home_la,
    )
    batch = MarkBatch.objects.create(
        provider=placement.provider, channel="API", recorded_at=timezone.now()
    )
    for session, code in (("AM", "/"), ("PM", "N")):
        AttendanceMark.objects.create(
            placement=placement,
            session_date=placement.start_date,
            session=session,
            code=code,
            batch=batch,
        )
    vsh = _home(new_page, "vsh_a")
    _follow(vsh, "1 child")
    expect(vsh.locator("main tbody")).not_to_contain_text("Marchbank")
    _follow(vsh, "Pendlebury, Jasper")
    expect(vsh.locator("main")).to_contain_text("Looked after")
    expect(vsh.locator("main")).to_contain_text("Provider X")
    _follow(vsh, "Attendance")
    marks = vsh.locator("main table", has_text="Session")
    expect(marks).to_contain_text("Present (AM)")
    expect(marks).to_contain_text("No reason yet")
    assert_accessible(vsh)


def test_qa_lead_starts_a_visit_to_a_provider(browser_world, new_page):  # noqa: F811
    world = browser_world
    provider = ProviderFactory(organisation=world.provider_x.organisation, name="Provider X")
    ApprovalFactory(provider=provider)
    qa = _home(new_page, "qa_lead_a")
    _follow(qa, "Quality assurance")
    _follow(qa, "QA visits to Provider X")
    click_and_wait(qa, qa.get_by_role("button", name="Start a visit"))
    qa.get_by_label("Framework").select_option(
        label="DfE non-school AP voluntary national standards (2025)"
    )
    qa.get_by_label("Monitoring visit").check()
    _date(qa, "visit_date", timezone.localdate())
    qa.get_by_label("Visitors").fill("Tobias Wrenfield, QA lead")
    click_and_wait(qa, qa.get_by_role("button", name="Start visit"))
    expect(qa.locator(".govuk-notification-banner--success")).to_contain_text("Visit started")
    expect(qa.locator("main")).to_contain_text("Monitoring visit")
    assert_accessible(qa)


def test_analyst_sees_the_regional_view_without_children(browser_world, new_page):  # noqa: F811
    analyst = _home(new_page, "analyst")
    _follow(analyst, "Regional and national view")
    table = analyst.locator("main table").first
    expect(table).to_contain_text("Dorset")
    dorset = table.locator("tr", has_text="Dorset")
    expect(dorset.locator("td").first).to_have_text("c")
    main = analyst.locator("main")
    for name in ("Marchbank", "Pendlebury", "Thistlewood"):
        expect(main).not_to_contain_text(name)
    assert_accessible(analyst)


def test_panel_member_sees_the_agenda_of_their_meeting(browser_world, new_page):  # noqa: F811
    world = browser_world
    panel = PanelFactory(local_authority=la("838"), name="Dorset AP panel")
    PanelMemberFactory(panel=panel, user=world.panel_member, name="Saoirse Kavanagh")
    meeting = MeetingFactory(panel=panel, date=timezone.localdate() + dt.timedelta(days=7))
    referral = ReferralFactory(child=world.child_a2, status="ON_AGENDA", referrer=world.officer_a)
    AgendaItem.objects.create(meeting=meeting, referral=referral, position=1)
    closed = MeetingFactory(
        panel=panel, date=timezone.localdate() - dt.timedelta(days=7), status=MeetingStatus.CLOSED
    )
    decided = ReferralFactory(child=world.child_a, status="SUBMITTED", referrer=world.officer_a)
    AgendaItem.objects.create(meeting=closed, referral=decided, position=1)
    member = _home(new_page, "panel_member")
    _follow(member, "Referrals", within="nav")  # Panels is one of the Referrals pages
    _follow(member, "Panels", within="nav")
    _follow(member, "Dorset AP panel")
    _follow(member, closed.date.strftime("%-d %B %Y"))
    expect(member.locator("main")).to_contain_text("only while the meeting is open")
    expect(member.locator("main")).not_to_contain_text("Marchbank")
    _follow(member, "Dorset AP panel", within="body")
    _follow(member, meeting.date.strftime("%-d %B %Y"))
    expect(member.locator("main")).to_contain_text("Pendlebury")
    assert_accessible(member)


def test_school_staff_commission_ap_for_their_pupil(browser_world, new_page):  # noqa: F811
    school = _home(new_page, "school_y")
    _follow(school, "Referrals", within="nav")
    click_and_wait(school, school.get_by_role("button", name="Start a referral"))
    school.fill("input[name=q]", "Marchbank")
    click_and_wait(school, school.locator("main button"))
    click_and_wait(school, school.get_by_role("link", name="Refer Ottilie Marchbank"))
    school.check("input[name=route][value=EBSA]")
    school.select_option("select[name=primary_reason]", label="Other reasons")
    school.fill(
        "textarea[name=needs_summary]", "Anxious about school since Year 8; attends two days a week"
    )
    school.fill("textarea[name=family_views]", "Parents want a small group setting for a term")
    school.fill("textarea[name=child_views]", "I could manage a small class")
    school.check("input[name=consent_given]")
    school.check("input[name=proposed_tier][value='1']")
    school.fill("input[name=estimated_weekly_cost]", "300")
    click_and_wait(school, school.locator("main form button"))
    expect(school.locator(".govuk-notification-banner--success")).to_contain_text(
        "saved as a draft"
    )
    expect(school.locator("main")).to_contain_text("School Y (school), overseen by Dorset")
    click_and_wait(school, school.get_by_role("button", name="Submit for a panel"))
    click_and_wait(school, school.get_by_role("button", name="Submit for a panel"))
    expect(school.locator(".govuk-notification-banner--success")).to_contain_text(
        "submitted for a panel"
    )
    assert_accessible(school)
