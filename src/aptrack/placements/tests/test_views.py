import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from aptrack.placements.models import FollowUp, Placement
from aptrack.placements.services import endings as placement_endings
from aptrack.placements.services import messages as placement_messages
from aptrack.placements.services import passport as placement_passport
from aptrack.placements.tests.factories import START, OutcomeFactory, PlanFactory, ReferralFactory

pytestmark = pytest.mark.django_db

# Every page reads the clock through timezone.now(): pin it to a school day after the start.
TODAY = dt.datetime(2026, 10, 21, 11, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(TODAY, tick=False):
        yield


def _date(name, day):
    return {
        f"{name}-day": str(day.day),
        f"{name}-month": str(day.month),
        f"{name}-year": str(day.year),
    }


def _plan_post(setting, **changes):
    data = {
        "site": str(setting.site.pk),
        "tier": "2",
        **_date("start_date", dt.date(2026, 11, 2)),
        **_date("planned_end_date", dt.date(2026, 12, 18)),
        "hours_per_week": "25",
        "exit_plan": "Back to School Y",
        "readiness_criteria": "90% attendance for four weeks",
    }
    data.update(changes)
    return data


def _error_summary(response):
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body and "There is a problem" in body
    return body


def _world_placement(world, child):
    return Placement.objects.get(child=child)


# --- scope and roles -------------------------------------------------------------------------

LIST_VISIBLE = {
    "officer_a": {"child_a"},
    "manager_a": {"child_a"},
    "officer_b": {"child_b"},
    "provider_x": {"child_a"},
    "provider_z": {"child_b"},
    "school_y": {"child_a"},
    "social_worker": {"child_a"},
    "virtual_school_head_a": set(),
}
REFUSED = {"qa_lead_a", "panel_member", "analyst", "finance_a"}


def test_list_shows_each_persona_only_their_placements(client, world):
    url = reverse("placements:list")
    for name, persona in world.personas().items():
        client.force_login(persona)
        response = client.get(url)
        if name in REFUSED:
            assert response.status_code == 403, name
            continue
        seen = {p.child_id for p in response.context_data["page"].object_list}
        assert seen == {getattr(world, child).pk for child in LIST_VISIBLE[name]}, name


def test_detail_is_missing_outside_scope_and_refused_to_other_roles(client, world):
    placement = _world_placement(world, world.child_a)
    url = reverse("placements:detail", args=[placement.pk])
    for name, persona in world.personas().items():
        client.force_login(persona)
        expected = 403 if name in REFUSED else 200 if "child_a" in LIST_VISIBLE[name] else 404
        assert client.get(url).status_code == expected, name


def test_provider_reads_the_plan_but_not_reviews_and_cannot_change_it(client, world, setting):
    placement = _world_placement(world, world.child_a)
    client.force_login(world.provider_x)
    body = client.get(reverse("placements:detail", args=[placement.pk])).content.decode()
    assert "Person Passport" in body and "Intended outcomes" in body
    assert ">Reviews<" not in body and ">History<" not in body
    for name in ("edit", "review_new", "end", "passport", "outcome_new"):
        assert client.get(reverse(f"placements:{name}", args=[placement.pk])).status_code == 403, (
            name
        )


def test_another_la_cannot_change_a_placement_it_can_see(client, world):
    # child_b lives in Hackney but Dorset placed them: both LAs see it, only Dorset changes it.
    placement = PlanFactory(
        child=world.child_b,
        provider=world.provider_x.organisation,
        commissioning_la=world.child_a.home_la,
    )
    client.force_login(world.officer_b)
    assert client.get(reverse("placements:detail", args=[placement.pk])).status_code == 200
    assert client.get(reverse("placements:edit", args=[placement.pk])).status_code == 403


# --- planning --------------------------------------------------------------------------------


def test_officer_plans_a_placement_from_an_approved_referral(client, world, setting):
    client.force_login(world.officer_a)
    url = reverse("placements:new") + f"?referral={setting.referral.pk}"
    assert client.get(url).status_code == 200
    response = client.post(url, _plan_post(setting))
    placement = Placement.objects.get(child=world.child_a2)
    assert response.status_code == 302
    assert response.url == reverse("placements:detail", args=[placement.pk])
    assert (placement.status, placement.weekly_cost) == ("PLANNED", Decimal("500.00"))


def test_hours_over_a_week_are_shown_with_the_error_summary(client, world, setting):
    client.force_login(world.officer_a)
    url = reverse("placements:new") + f"?referral={setting.referral.pk}"
    body = _error_summary(client.post(url, _plan_post(setting, hours_per_week="41")))
    assert placement_messages.HOURS_OVER_WEEK in body
    assert 'href="#id_hours_per_week"' in body
    assert not Placement.objects.filter(child=world.child_a2).exists()


def test_referral_not_approved_is_shown_with_the_error_summary(client, world, setting):
    setting.referral.status = "ON_AGENDA"
    setting.referral.save()
    client.force_login(world.officer_a)
    url = reverse("placements:new") + f"?referral={setting.referral.pk}"
    body = _error_summary(client.post(url, _plan_post(setting)))
    assert placement_messages.REFERRAL_NOT_APPROVED in body


def test_referral_of_another_la_is_missing(client, world, setting):
    client.force_login(world.officer_b)
    assert (
        client.get(reverse("placements:new") + f"?referral={setting.referral.pk}").status_code
        == 404
    )


def test_provider_staff_cannot_plan(client, world, setting):
    client.force_login(world.provider_x)
    assert client.get(reverse("placements:new") + f"?child={world.child_a.pk}").status_code == 403


def test_school_plans_tier_1_for_its_pupil(client, world, setting):
    client.force_login(world.school_y)
    url = reverse("placements:new") + f"?child={world.child_a.pk}"
    page = client.get(url).content.decode()
    assert "URN of the commissioning school" not in page  # the school is the commissioner
    response = client.post(
        url,
        _plan_post(
            setting,
            tier="1",
            hours_per_week="10",
            **_date("planned_end_date", dt.date(2026, 12, 11)),
        ),
    )
    assert response.status_code == 302
    placement = Placement.objects.get(child=world.child_a, tier=1)
    assert placement.commissioning_school == world.school_y.organisation


def test_stale_plan_edit_is_shown_not_saved(client, world, setting):
    placement = PlanFactory(
        child=world.child_a2, provider=setting.provider.organisation, site=setting.site
    )
    client.force_login(world.officer_a)
    url = reverse("placements:edit", args=[placement.pk])
    form = client.get(url)
    assert form.status_code == 200
    dates = {
        **_date("start_date", START),
        **_date("planned_end_date", START + dt.timedelta(weeks=10)),
    }
    first = client.post(url, {**_plan_post(setting, exit_plan="First"), **dates, "version": "1"})
    assert first.status_code == 302
    body = _error_summary(
        client.post(url, {**_plan_post(setting, exit_plan="Second"), **dates, "version": "1"})
    )
    assert "Someone else changed this placement" in body
    placement.refresh_from_db()
    assert placement.exit_plan == "First"


def test_planned_placement_starts_and_can_be_cancelled(client, world, setting):
    client.force_login(world.officer_a)
    planned = PlanFactory(
        child=world.child_a2, provider=setting.provider.organisation, status="PLANNED"
    )
    response = client.post(reverse("placements:activate", args=[planned.pk]), {"version": "1"})
    assert response.status_code == 302
    planned.refresh_from_db()
    assert planned.status == "ACTIVE"
    other = PlanFactory(
        child=world.child_a2,
        provider=setting.provider.organisation,
        status="PLANNED",
        start_date=dt.date(2027, 1, 4),
        planned_end_date=dt.date(2027, 3, 1),
    )
    url = reverse("placements:cancel", args=[other.pk])
    _error_summary(client.post(url, {"reason": "", "version": "1"}))
    assert client.post(url, {"reason": "Family moved", "version": "1"}).status_code == 302
    other.refresh_from_db()
    assert other.status == "CANCELLED"


# --- outcomes, passport, reviews -------------------------------------------------------------


@pytest.fixture
def active(world, setting):
    placement = PlanFactory(
        child=world.child_a2, provider=setting.provider.organisation, site=setting.site
    )
    OutcomeFactory(placement=placement, description="Attendance")
    return placement


def test_outcome_added_and_bad_input_shown(client, world, active):
    client.force_login(world.officer_a)
    url = reverse("placements:outcome_new", args=[active.pk])
    body = _error_summary(client.post(url, {"description": "Read fluently"}))
    assert "Enter the baseline" in body
    response = client.post(
        url,
        {
            "description": "Read fluently",
            "measure": "Reading age",
            "baseline": "9 years",
            "target": "11 years",
        },
    )
    assert response.status_code == 302
    assert active.outcomes.count() == 2


def test_passport_written_and_empty_refused(client, world, active):
    client.force_login(world.officer_a)
    url = reverse("placements:passport", args=[active.pk])
    body = _error_summary(client.post(url, {"version": "1"}))
    assert placement_messages.PASSPORT_EMPTY in body
    assert (
        client.post(url, {"needs": "Dyslexia", "contacts": "Mum", "version": "1"}).status_code
        == 302
    )
    client.force_login(world.provider_x)
    assert "Dyslexia" in client.get(reverse("placements:detail", args=[active.pk])).content.decode()


def test_review_recorded_and_missing_score_shown(client, world, active):
    outcome = active.outcomes.get()
    client.force_login(world.officer_a)
    url = reverse("placements:review_new", args=[active.pk])
    post = {
        **_date("held_date", dt.date(2026, 10, 12)),
        "kind": "REVIEW",
        "attendance_percent": "85",
        "child_views": "Fine",
        "family_views": "Good",
        "decision": "CONTINUE",
    }
    body = _error_summary(client.post(url, post))
    assert "Score progress against Attendance" in body
    response = client.post(url, {**post, f"score_{outcome.pk}": "4"})
    assert response.status_code == 302
    assert active.reviews.get().progress.get().score == 4
    detail = client.get(reverse("placements:detail", args=[active.pk])).content.decode()
    assert "4 of 5" in detail


def test_review_deciding_to_end_leads_to_the_end_page(client, world, active):
    outcome = active.outcomes.get()
    client.force_login(world.officer_a)
    response = client.post(
        reverse("placements:review_new", args=[active.pk]),
        {
            **_date("held_date", dt.date(2026, 10, 12)),
            "kind": "REVIEW",
            "decision": "END",
            f"score_{outcome.pk}": "5",
            "views_not_obtained_reason": "The child was ill; the family could not come",
        },
    )
    assert response.url == reverse("placements:end", args=[active.pk])


# --- ending and follow-up --------------------------------------------------------------------


def test_end_with_bad_date_shown_then_ended(client, world, active):
    client.force_login(world.officer_a)
    url = reverse("placements:end", args=[active.pk])
    post = {
        **_date("end_date", dt.date(2026, 9, 1)),
        "reason": "COMPLETED",
        "destination": "HOME_SCHOOL",
        "transition_plan": "Phased return",
        "version": "1",
    }
    body = _error_summary(client.post(url, post))
    assert "The end date must be on or after the start date" in body
    assert client.post(url, {**post, **_date("end_date", dt.date(2026, 10, 9))}).status_code == 302
    assert FollowUp.objects.filter(placement=active).count() == 2


def test_follow_up_recorded_and_missing_answer_shown(client, world, active):
    placement_endings.end_placement(
        actor=world.officer_a,
        at=TODAY,
        placement=active,
        end_date=dt.date(2026, 9, 30),
        reason="COMPLETED",
        destination="HOME_SCHOOL",
        transition_plan="Phased",
    )
    follow_up = active.follow_ups.get(weeks_after=6)
    url = reverse("placements:follow_up", args=[active.pk, follow_up.pk])
    with time_machine.travel(dt.datetime(2026, 11, 12, 10, tzinfo=dt.UTC), tick=False):
        client.force_login(world.officer_a)  # sessions last an hour: sign in on the day
        body = _error_summary(
            client.post(
                url, {**_date("done_date", dt.date(2026, 11, 11)), "still_attending": "yes"}
            )
        )
        assert "Say whether the destination has been sustained" in body
        response = client.post(
            url,
            {
                **_date("done_date", dt.date(2026, 11, 11)),
                "still_attending": "yes",
                "destination_sustained": "no",
            },
        )
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert (follow_up.still_attending, follow_up.destination_sustained) == (True, False)


# --- timeline, home, list filters ------------------------------------------------------------


def test_timeline_shows_referral_and_placement_in_moj_timeline(client, world, active):
    ReferralFactory(child=world.child_a2, referrer=world.officer_a)
    placement_passport.update_passport(
        actor=world.officer_a, at=TODAY, placement=active, data={"needs": "Quiet"}
    )
    client.force_login(world.officer_a)
    body = client.get(reverse("placements:timeline", args=[world.child_a2.pk])).content.decode()
    assert 'class="moj-timeline"' in body
    assert "Referral made" in body and "Person Passport updated: Provider X" in body


def test_timeline_refused_to_provider_and_missing_outside_scope(client, world):
    client.force_login(world.provider_x)
    assert client.get(reverse("placements:timeline", args=[world.child_a.pk])).status_code == 403
    client.force_login(world.officer_b)
    assert client.get(reverse("placements:timeline", args=[world.child_a.pk])).status_code == 404


def test_caseworker_home_lists_overdue_reviews(client, world, active):
    client.force_login(world.officer_a)
    response = client.get(reverse("placements:home"))
    assert response.status_code == 200
    assert (
        active in response.context_data["home"].reviews_overdue
    )  # started 7 Sept, no review by 21 Oct
    client.force_login(world.provider_x)
    assert client.get(reverse("placements:home")).status_code == 403


def test_list_filters_by_flags(client, world, active):
    open_ended = PlanFactory(
        child=world.child_a2,
        provider=world.provider_x.organisation,
        planned_end_date=None,
        tier=3,
        hours_per_week=Decimal(5),
    )
    client.force_login(world.officer_a)
    response = client.get(reverse("placements:list"), {"flags": "drift"})
    assert {p.pk for p in response.context_data["page"].object_list} == {
        open_ended.pk,
        _world_placement(world, world.child_a).pk,
    }
    response = client.get(reverse("placements:list"), {"tier": "2"})
    assert [p.pk for p in response.context_data["page"].object_list] == [active.pk]


def test_child_record_links_to_placements_and_timeline(client, world):
    placement = _world_placement(world, world.child_a)
    client.force_login(world.officer_a)
    body = client.get(reverse("children:detail", args=[world.child_a.pk])).content.decode()
    assert reverse("placements:detail", args=[placement.pk]) in body
    assert reverse("placements:timeline", args=[world.child_a.pk]) in body


def test_placement_page_links_to_its_outcomes(client, world):
    placement = _world_placement(world, world.child_a)
    outcomes = reverse("outcomes:placement", args=[placement.pk])
    for persona in (world.officer_a, world.provider_x):
        client.force_login(persona)
        body = client.get(reverse("placements:detail", args=[placement.pk])).content.decode()
        assert f'href="{outcomes}"' in body
        assert client.get(outcomes).status_code == 200


def test_planning_from_the_child_record_starts_from_the_panel_decision(client, world, setting):
    from aptrack.placements.tests.test_services import _approve

    setting.provider.hourly_rate = None
    setting.provider.save()
    _approve(world, setting.referral, "450", provider=setting.provider)
    client.force_login(world.officer_a)
    page = client.get(reverse("placements:new") + f"?child={world.child_a2.pk}")
    assert page.context_data["referral"] == setting.referral
    form = page.context_data["form"]
    assert (form["tier"].value(), form["site"].value(), str(form["weekly_cost"].value())) == (
        2,
        str(setting.site.pk),
        "450.00",
    )
    assert "the panel approved" in page.content.decode() and "&lt;p" not in page.content.decode()
    url = reverse("placements:new") + f"?referral={setting.referral.pk}"
    body = _error_summary(client.post(url, _plan_post(setting, weekly_cost="505")))
    assert (
        "The weekly cost, £505, differs from the £450 the panel approved: give the reason" in body
    )
    response = client.post(
        url, _plan_post(setting, weekly_cost="505", cost_difference_reason="Transport added")
    )
    assert response.status_code == 302
    detail = client.get(response.url).content.decode()
    assert "Differs from the panel" in detail and "Transport added" in detail
