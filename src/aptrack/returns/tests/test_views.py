import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from markupsafe import escape

from aptrack.children.tests.factories import ChildFactory, PlacementFactory
from aptrack.organisations.tests.factories import la
from aptrack.returns.models import ProviderReturn, ReturnLine
from aptrack.returns.states import ReturnStatus
from aptrack.returns.tests.factories import ProviderReturnFactory

pytestmark = pytest.mark.django_db

# The world's placements start on 7 September 2026; on 15 December they are 99 days old.
TODAY = dt.datetime(2026, 12, 15, 12, 0, tzinfo=dt.UTC)

# persona: (status of /returns/, status of /returns/alerts/)
ROLE_ACCESS = {
    "officer_a": (200, 200),
    "manager_a": (200, 200),
    "qa_lead_a": (200, 200),
    "officer_b": (200, 200),
    "provider_x": (200, 403),
    "provider_z": (200, 403),
    "school_y": (403, 403),
    "social_worker": (403, 403),
    "virtual_school_head_a": (403, 403),
    "panel_member": (403, 403),
    "analyst": (403, 403),
}


def _as(client, world, persona):
    client.force_login(getattr(world, persona))
    return client


def _date(name, value):
    return {
        f"{name}-day": str(value.day),
        f"{name}-month": str(value.month),
        f"{name}-year": str(value.year),
    }


@pytest.mark.parametrize("persona", ROLE_ACCESS)
def test_who_may_use_returns_and_alerts(client, world, registered, persona):
    _as(client, world, persona)
    list_status, alerts_status = ROLE_ACCESS[persona]
    assert client.get(reverse("returns:list")).status_code == list_status
    assert client.get(reverse("returns:alerts")).status_code == alerts_status


def test_signed_out_users_are_sent_to_sign_in(client, world):
    response = client.get(reverse("returns:list"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("provider_x", 200),
        ("officer_a", 200),
        ("manager_a", 200),
        ("qa_lead_a", 200),
        ("provider_z", 404),
        ("officer_b", 404),
        ("analyst", 403),
        ("school_y", 403),
    ],
)
def test_a_return_is_seen_only_by_its_provider_and_las_that_use_it(
    client, world, registered, persona, status
):
    provider_return = ProviderReturnFactory(provider=registered.x)
    _as(client, world, persona)
    assert client.get(reverse("returns:detail", args=[provider_return.pk])).status_code == status


def test_provider_staff_cannot_change_another_providers_return(client, world, registered):
    provider_return = ProviderReturnFactory(provider=registered.x)
    line = ReturnLine.objects.create(
        provider_return=provider_return,
        compulsory_school_age=True,
        looked_after=False,
        has_ehcp=False,
        hours_per_week=Decimal("20"),
        created_at=TODAY,
    )
    _as(client, world, "provider_z")
    pk = provider_return.pk
    assert client.get(reverse("returns:line_new", args=[pk])).status_code == 404
    assert client.post(reverse("returns:line_new_anonymous", args=[pk]), {}).status_code == 404
    assert client.post(reverse("returns:line_remove", args=[pk, line.pk])).status_code == 404
    assert client.post(reverse("returns:submit", args=[pk]), {"confirm": "on"}).status_code == 404
    provider_return.refresh_from_db()
    assert provider_return.status == ReturnStatus.DRAFT
    assert provider_return.lines.count() == 1


def test_provider_staff_return_list_shows_only_their_own_returns(client, world, registered):
    ProviderReturnFactory(provider=registered.x)
    ProviderReturnFactory(provider=registered.z)
    body = _as(client, world, "provider_z").get(reverse("returns:list")).content.decode()
    assert "1 return" in body
    assert "Provider X" not in body


def test_qa_leads_read_returns_but_do_not_write_them(client, world, registered):
    provider_return = ProviderReturnFactory(provider=registered.x)
    _as(client, world, "qa_lead_a")
    assert client.get(reverse("returns:detail", args=[provider_return.pk])).status_code == 200
    assert client.get(reverse("returns:line_new", args=[provider_return.pk])).status_code == 403
    assert client.get(reverse("returns:new")).status_code == 403


def test_provider_staff_make_and_submit_a_return(client, world, registered):
    _as(client, world, "provider_x")
    response = client.get(reverse("returns:new"))
    assert 'name="provider"' not in response.content.decode()
    response = client.post(
        reverse("returns:new"),
        {
            **_date("period_start_date", dt.date(2026, 9, 1)),
            **_date("period_end_date", dt.date(2026, 9, 30)),
        },
    )
    provider_return = ProviderReturn.objects.get()
    assert provider_return.provider == registered.x
    assert response["Location"] == reverse("returns:detail", args=[provider_return.pk])

    response = client.post(
        reverse("returns:line_new", args=[provider_return.pk]),
        {
            "child": str(world.child_a.pk),
            "hours_per_week": "25",
            "sites": [str(registered.x_site.pk)],
        },
    )
    assert response.status_code == 302
    body = client.get(reverse("returns:detail", args=[provider_return.pk])).content.decode()
    assert escape(world.child_a.legal_last_name) in body
    assert "X main site" in body

    response = client.post(reverse("returns:submit", args=[provider_return.pk]), {"confirm": "on"})
    assert response.status_code == 302
    provider_return.refresh_from_db()
    assert provider_return.status == ReturnStatus.SUBMITTED
    body = client.get(reverse("returns:detail", args=[provider_return.pk])).content.decode()
    assert "It cannot be changed" in body
    assert "Remove" not in body


def test_a_submitted_return_cannot_be_changed_through_the_pages(client, world, registered):
    provider_return = ProviderReturnFactory(provider=registered.x, submitted=True)
    line = ReturnLine.objects.create(
        provider_return=provider_return,
        compulsory_school_age=True,
        looked_after=False,
        has_ehcp=False,
        hours_per_week=Decimal("20"),
        created_at=TODAY,
    )
    _as(client, world, "provider_x")
    detail = reverse("returns:detail", args=[provider_return.pk])
    assert client.get(reverse("returns:line_new", args=[provider_return.pk]))["Location"] == detail
    response = client.post(
        reverse("returns:line_remove", args=[provider_return.pk, line.pk]), follow=True
    )
    assert "it can no longer be changed" in response.content.decode()
    assert provider_return.lines.count() == 1
    response = client.post(reverse("returns:submit", args=[provider_return.pk]), {"confirm": "on"})
    assert response.status_code == 200
    assert "This return has already been submitted" in response.content.decode()


def test_a_child_not_placed_with_the_provider_is_not_offered_or_accepted(client, world, registered):
    provider_return = ProviderReturnFactory(provider=registered.x)
    _as(client, world, "provider_x")
    url = reverse("returns:line_new", args=[provider_return.pk])
    body = client.get(url).content.decode()
    assert escape(world.child_a.legal_last_name) in body
    assert world.child_b.legal_last_name not in body
    response = client.post(
        url,
        {
            "child": str(world.child_b.pk),
            "hours_per_week": "25",
            "sites": [str(registered.x_site.pk)],
        },
    )
    assert response.status_code == 200
    assert "Select a pupil from the list" in response.content.decode()
    assert not provider_return.lines.exists()


def test_an_la_officer_starts_a_return_on_a_providers_behalf(client, world, registered):
    _as(client, world, "officer_a")
    dates = {
        **_date("period_start_date", dt.date(2026, 9, 1)),
        **_date("period_end_date", dt.date(2026, 9, 30)),
    }
    # Provider Z is neither in Dorset nor used by it.
    response = client.post(reverse("returns:new"), {"provider": str(registered.z.pk), **dates})
    assert "Select a provider from the list" in response.content.decode()
    response = client.post(reverse("returns:new"), {"provider": str(registered.x.pk), **dates})
    assert response.status_code == 302
    assert ProviderReturn.objects.get().created_by == world.officer_a


def test_la_users_filter_returns_by_status_and_period(client, world, registered):
    ProviderReturnFactory(provider=registered.x, submitted=True)
    ProviderReturnFactory(
        provider=registered.x,
        period_start_date=dt.date(2026, 10, 1),
        period_end_date=dt.date(2026, 10, 23),
    )
    _as(client, world, "officer_a")
    assert "2 returns" in client.get(reverse("returns:list")).content.decode()
    body = client.get(reverse("returns:list"), {"status": "SUBMITTED"}).content.decode()
    assert "1 return" in body and "1 September 2026 to 30 September 2026" in body
    body = client.get(reverse("returns:list"), {"period": "2026-10-01_2026-10-23"}).content.decode()
    assert "1 return" in body and "1 October 2026 to 23 October 2026" in body


BAD_INPUT = [
    (
        "start",
        {
            "period_start_date-day": "1",
            "period_start_date-month": "9",
            "period_start_date-year": "2026",
        },
        "Enter the end of the period",
        "#id_period_end_date-day",
    ),
    (
        "start",
        {
            **_date("period_start_date", dt.date(2026, 9, 30)),
            **_date("period_end_date", dt.date(2026, 9, 1)),
        },
        "The end of the period must be the same as or after the start",
        "#id_period_end_date-day",
    ),
    (
        "line_new",
        {"hours_per_week": ""},
        "Enter the hours a week the pupil attended",
        "#id_hours_per_week",
    ),
    (
        "line_new_anonymous",
        {"hours_per_week": "20"},
        "Select yes if the pupil is of compulsory school age",
        "#id_compulsory_school_age",
    ),
    ("submit", {}, "Confirm the return is complete before you submit it", "#id_confirm"),
]


@pytest.mark.parametrize(
    ("page", "data", "message", "anchor"),
    BAD_INPUT,
    ids=[f"{b[0]}-{i}" for i, b in enumerate(BAD_INPUT)],
)
def test_bad_input_is_reshown_with_the_error_summary(
    client, world, registered, page, data, message, anchor
):
    provider_return = ProviderReturnFactory(
        provider=registered.x,
        period_start_date=dt.date(2026, 10, 1),
        period_end_date=dt.date(2026, 10, 23),
    )
    _as(client, world, "provider_x")
    url = (
        reverse("returns:new")
        if page == "start"
        else reverse(f"returns:{page}", args=[provider_return.pk])
    )
    if page == "line_new":
        data = {"child": str(world.child_a.pk), "sites": [str(registered.x_site.pk)], **data}
    if page == "line_new_anonymous":
        data = {"sites": [str(registered.x_site.pk)], **data}
    response = client.post(url, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body
    assert "<title>Error: " in body
    assert message in body
    assert f'href="{anchor}"' in body
    assert ProviderReturn.objects.count() == 1
    assert not ReturnLine.objects.exists()
    provider_return.refresh_from_db()
    assert provider_return.status == ReturnStatus.DRAFT


@time_machine.travel(TODAY, tick=False)
def test_alerts_give_the_reasons_in_words(client, world, registered):
    in_care = ChildFactory(home_la=la("838"), looked_after=True, responsible_la=la("838"))
    PlacementFactory(
        child=in_care, provider=registered.x.organisation, start_date=dt.date(2026, 12, 1)
    )
    body = _as(client, world, "officer_a").get(reverse("returns:alerts")).content.decode()
    assert "Provider X" in body
    assert (
        "Placements on 15 December 2026: 2 pupils full-time (18+ hours), including 1 looked after: must register"
        in body
    )
    # child_a has been with Provider X since 7 September: 99 days.
    assert "99 days so far (14 weeks): past the 12-week limit for non-school provision" in body
    assert escape(world.child_a.legal_last_name) in body


@time_machine.travel(TODAY, tick=False)
def test_alerts_show_counts_to_qa_leads_but_no_names(client, world, registered):
    body = _as(client, world, "qa_lead_a").get(reverse("returns:alerts")).content.decode()
    assert "99 days so far" in body
    assert "Not shown" in body
    assert world.child_a.legal_last_name not in body


@time_machine.travel(TODAY, tick=False)
def test_alerts_are_for_the_users_own_la(client, world, registered):
    body = _as(client, world, "officer_b").get(reverse("returns:alerts")).content.decode()
    # Hackney placed child_b with Provider Z on 7 September too.
    assert "Provider Z" in body
    assert "Provider X" not in body
    assert world.child_a.legal_last_name not in body
