"""Hostile values are refused naming the field, never a 500: numbers beyond their column, NUL
characters and lone surrogates, pages larger than MAX_PAGE. Nothing is written."""

import json

import pytest
from django.utils import timezone

from aptrack.accounts import services as account_services
from aptrack.api.types import MAX_PAGE
from aptrack.attendance.models import AttendanceMark, MarkBatch
from aptrack.children import upn
from aptrack.children.models import Child
from aptrack.core import validators
from aptrack.placements.models import Placement
from aptrack.referrals.models import Referral

pytestmark = pytest.mark.django_db

HUGE = 10**20  # beyond a bigint
LISTS = ("/api/v1/children", "/api/v1/placements", "/api/v1/referrals")


def _auth(user):
    _, token = account_services.issue_api_token(user=user, name="MIS", at=timezone.now())
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _post(client, user, path, payload):
    return client.post(
        path, data=json.dumps(payload), content_type="application/json", **_auth(user)
    )


def _fields(response) -> set[str]:
    """The fields a 422 names (the last part of each error's location)."""
    assert response.status_code == 422, response.content
    return {str(error["loc"][-1]) for error in response.json()["detail"]}


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize(
    "query", [f"limit={HUGE}", f"offset={HUGE}", f"limit={MAX_PAGE + 1}", "limit=0"]
)
def test_a_page_beyond_the_bounds_is_refused_naming_the_parameter(client, world, path, query):
    response = client.get(f"{path}?{query}", **_auth(world.officer_a))
    assert _fields(response) == {query.split("=")[0]}


@pytest.mark.parametrize("path", LISTS)
def test_every_list_gives_at_most_the_largest_page_and_says_so(client, world, path):
    response = client.get(f"{path}?limit={MAX_PAGE}", **_auth(world.officer_a))
    assert response.status_code == 200
    schema = client.get("/api/v1/openapi.json").json()
    limit = next(p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == "limit")
    assert limit["schema"]["maximum"] == MAX_PAGE


@pytest.mark.parametrize(
    "path",
    ["/api/v1/children/{id}", "/api/v1/placements/{id}", "/api/v1/referrals/{id}"],
)
def test_an_id_beyond_a_bigint_is_refused_naming_it(client, world, path):
    response = client.get(path.format(id=HUGE), **_auth(world.officer_a))
    assert response.status_code == 422


def test_nul_in_a_search_is_refused(client, world):
    # (A query string cannot carry a lone surrogate: Django decodes bad UTF-8 as U+FFFD.)
    response = client.get("/api/v1/children?q=a%00b", **_auth(world.officer_a))
    assert _fields(response) == {"q"}


CHILD = {
    "legal_first_name": "Zara",
    "legal_last_name": "Synthetic",
    "date_of_birth": "2011-02-03",
    "sex": "F",
    "home_la_code": "838",
    "upn": upn.make("838", "4002", "22", "500"),
}


@pytest.mark.parametrize("text", ["Za\x00ra", "Za\ud800ra"], ids=["NUL", "surrogate"])
def test_unstorable_text_in_a_child_is_refused_naming_the_field(client, world, text):
    before = Child.objects.count()
    response = _post(
        client, world.officer_a, "/api/v1/children", {**CHILD, "legal_first_name": text}
    )
    assert _fields(response) == {"legal_first_name"}
    assert Child.objects.count() == before


def test_unstorable_text_in_a_referral_is_refused_naming_the_field(client, world):
    payload = {
        "child_id": world.child_a.pk,
        "route": "PEX",
        "primary_reason": "PEX",
        "needs_summary": "Needs\x00",
        "proposed_tier": 1,
    }
    response = _post(client, world.officer_a, "/api/v1/referrals", payload)
    assert "needs_summary" in _fields(response)
    assert not Referral.objects.filter(needs_summary__startswith="Needs").exists()


@pytest.mark.parametrize(
    "field, value",
    [
        ("weekly_cost", "1e30"),
        ("hours_per_week", "123456789.123"),
        ("child_id", HUGE),
        ("tier", HUGE),
    ],
)
def test_a_number_beyond_its_column_in_a_placement_is_refused_naming_it(
    client, world, field, value
):
    payload = {
        "child_id": world.child_a.pk,
        "provider_id": 1,
        "site_id": 1,
        "tier": 1,
        "start_date": "2026-11-23",
        "hours_per_week": "25",
        field: value,
    }
    before = Placement.objects.count()
    response = _post(client, world.officer_a, "/api/v1/placements", payload)
    assert field in _fields(response)
    assert Placement.objects.count() == before


@pytest.mark.parametrize(
    "comment, reason",
    [
        ("late\x00", validators.NUL_CHARACTER),
        ("late\ud800", validators.LONE_SURROGATE.format(code=0xD800)),
    ],
    ids=["NUL", "surrogate"],
)
def test_unstorable_text_in_a_mark_is_named_by_row_and_field(client, world, comment, reason):
    mark = {"upn": world.child_a.upn, "date": "2026-11-23", "session": "AM", "code": "/"}
    response = _post(
        client,
        world.provider_x,
        "/api/v1/attendance",
        {"marks": [mark, {**mark, "session": "PM", "comment": comment}]},
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"row": 2, "field": "comment", "reason": f"The value {reason}"}
    ]
    assert not AttendanceMark.objects.exists()
    assert not MarkBatch.objects.exists()
