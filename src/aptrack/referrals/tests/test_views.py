import datetime as dt

import pytest
from django.urls import reverse
from markupsafe import escape

from aptrack.audit.models import AuditAction, AuditEvent
from aptrack.referrals.models import Referral
from aptrack.referrals.states import ReferralStatus
from aptrack.referrals.tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db
S = ReferralStatus


def _form(**overrides):
    data = {
        "route": "EHCP_AWAITING",
        "primary_reason": "AWAITING",
        "needs_summary": "Autism; needs a small setting",
        "family_views": "Dad agrees",
        "child_views": "I want to learn",
        "consent_given": "on",
        "proposed_tier": "2",
        "estimated_weekly_cost": "450.00",
    }
    data.update(overrides)
    return data


@pytest.fixture
def officer(client, world):
    client.force_login(world.officer_a)
    return client


def _assert_error_page(response, *texts):
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body
    assert "<title>Error: " in body
    for text in texts:
        assert text in body, text
    return body


def test_starting_a_referral_finds_the_child_first(officer, world):
    assert "Find child" in officer.get(reverse("referrals:new")).content.decode()
    body = officer.get(
        reverse("referrals:new"), {"q": world.child_a.legal_last_name}
    ).content.decode()
    assert f"?child={world.child_a.pk}" in body
    assert f"?child={world.child_b.pk}" not in body


def test_a_child_out_of_scope_cannot_be_referred(officer, world):
    assert officer.get(reverse("referrals:new") + f"?child={world.child_b.pk}").status_code == 404


def test_starting_a_referral(officer, world):
    url = reverse("referrals:new") + f"?child={world.child_a.pk}"
    assert officer.get(url).status_code == 200
    response = officer.post(url, _form())
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:detail", args=[referral.pk])
    assert referral.estimated_weekly_cost == 450
    assert referral.status == S.DRAFT


def test_a_bad_referral_is_shown_again_with_an_error_summary(officer, world):
    url = reverse("referrals:new") + f"?child={world.child_a.pk}"
    _assert_error_page(
        officer.post(url, _form(needs_summary="")),
        'href="#id_needs_summary"',
        "Enter a summary of the child",
    )
    # The service's own rules come back to the same form, linked to their fields.
    _assert_error_page(
        officer.post(url, _form(route="PEX", primary_reason="PEX")),
        'href="#id_first_day_of_exclusion-day"',
        "Enter the first day of the exclusion",
    )
    assert not Referral.objects.exists()


def test_the_detail_page_shows_the_timeline_and_is_audited(officer, world):
    referral = ReferralFactory(child=world.child_a, referrer=world.officer_a)
    referral.events.create(
        from_status="",
        to_status=S.DRAFT,
        by=world.officer_a,
        at=referral.created_at,
        reason="Referral started",
    )
    body = officer.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    child_url = reverse("children:detail", args=[world.child_a.pk])
    assert f'<a class="govuk-link" href="{child_url}">{escape(world.child_a.full_name)}</a>' in body
    assert 'class="moj-timeline"' in body
    assert "Started as a draft" in body
    assert "Submit for a panel" in body
    assert AuditEvent.objects.filter(action=AuditAction.VIEWED, child_id=world.child_a.pk).exists()


def test_the_la_sees_a_school_s_referral_but_cannot_change_it(officer, world):
    referral = ReferralFactory(
        child=world.child_a,
        referrer=world.school_y,
        commissioning_school=world.school_y.organisation,
    )
    body = officer.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Change referral" not in body
    assert officer.get(reverse("referrals:edit", args=[referral.pk])).status_code == 403


def test_editing_with_bad_input_and_then_good(officer, world):
    referral = ReferralFactory(child=world.child_a, referrer=world.officer_a)
    url = reverse("referrals:edit", args=[referral.pk])
    assert officer.get(url).status_code == 200
    _assert_error_page(
        officer.post(url, _form(estimated_weekly_cost="lots", version=referral.version)),
        "Estimated weekly cost must be an amount in pounds",
        'href="#id_estimated_weekly_cost"',
    )
    _assert_error_page(
        officer.post(url, _form(version=referral.version + 1)), "Someone else changed this referral"
    )
    response = officer.post(url, _form(needs_summary="Updated needs", version=referral.version))
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.needs_summary == "Updated needs"


def test_submitting_a_draft_that_is_not_ready(officer, world):
    referral = ReferralFactory(
        child=world.child_a, referrer=world.officer_a, consent_given=False, child_views=""
    )
    url = reverse("referrals:submit", args=[referral.pk])
    assert "This draft is not ready yet" in officer.get(url).content.decode()
    _assert_error_page(
        officer.post(url),
        "Record that the parent or carer consents",
        "Record the child&#39;s own views, or say why they could not be obtained",
    )
    referral.refresh_from_db()
    assert referral.status == S.DRAFT


def test_submitting_a_ready_draft(officer, world):
    referral = ReferralFactory(child=world.child_a, referrer=world.officer_a)
    response = officer.post(reverse("referrals:submit", args=[referral.pk]))
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == S.SUBMITTED


def test_submitting_twice_shows_the_refused_move(officer, world):
    referral = ReferralFactory(child=world.child_a, referrer=world.officer_a, status=S.SUBMITTED)
    _assert_error_page(
        officer.post(reverse("referrals:submit", args=[referral.pk])),
        "This referral is submitted, so it cannot be submitted.",
    )


def test_withdrawing_needs_a_reason_then_withdraws(officer, world):
    referral = ReferralFactory(child=world.child_a, referrer=world.officer_a, status=S.SUBMITTED)
    url = reverse("referrals:withdraw", args=[referral.pk])
    _assert_error_page(
        officer.post(url, {"reason": ""}),
        'href="#id_reason"',
        "Enter why the referral is being withdrawn",
    )
    assert officer.post(url, {"reason": "Family moved to Devon"}).status_code == 302
    referral.refresh_from_db()
    assert referral.status == S.WITHDRAWN
    assert referral.events.get(to_status=S.WITHDRAWN).reason == "Family moved to Devon"


def test_the_list_filters_by_status(officer, world):
    draft = ReferralFactory(child=world.child_a, referrer=world.officer_a)
    submitted = ReferralFactory(child=world.child_a2, referrer=world.officer_a, status=S.SUBMITTED)
    body = officer.get(reverse("referrals:list"), {"status": ["SUBMITTED"]}).content.decode()
    assert reverse("referrals:detail", args=[submitted.pk]) in body
    assert reverse("referrals:detail", args=[draft.pk]) not in body


def test_the_sixth_day_page(client, world):
    ReferralFactory(
        child=world.child_a2,
        referrer=world.officer_a,
        route="PEX",
        primary_reason="PEX",
        first_day_of_exclusion=dt.date(2026, 11, 2),
        status=S.SUBMITTED,
    )
    client.force_login(world.officer_a)
    body = client.get(reverse("referrals:sixth_day")).content.decode()
    assert escape(world.child_a2.full_name) in body
    assert "9 November 2026" in body
    client.force_login(world.school_y)
    assert client.get(reverse("referrals:sixth_day")).status_code == 403


def test_the_navigation_offers_referrals_and_panels_by_role(client, world):
    # Panels is one of the Referrals pages, in the sub navigation of the referrals list.
    client.force_login(world.officer_a)
    assert 'href="/referrals/"' in client.get(reverse("core:home")).content.decode()
    assert 'href="/panels/"' in client.get(reverse("referrals:list")).content.decode()
    client.force_login(world.school_y)
    assert 'href="/referrals/"' in client.get(reverse("core:home")).content.decode()
    assert 'href="/panels/"' not in client.get(reverse("referrals:list")).content.decode()
    client.force_login(world.provider_x)
    body = client.get(reverse("core:home")).content.decode()
    assert 'href="/referrals/"' not in body and 'href="/panels/"' not in body


def test_names_are_escaped_in_links(officer, world):
    world.child_a.legal_last_name = "<b>O'Brien</b>"
    world.child_a.save()
    referral = ReferralFactory(child=world.child_a, referrer=world.officer_a)
    body = officer.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "<b>O" not in body
    assert "&lt;b&gt;O&#39;Brien&lt;/b&gt;</a>" in body
