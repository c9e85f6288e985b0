"""The regional view: analysts see their region (or England), LA managers their own region with
their LA marked; nobody else. No child is named or identified on it; small numbers show "c"."""

import re

import pytest
from django.urls import reverse
from markupsafe import escape

from aptrack.accounts.roles import Role
from aptrack.accounts.tests.factories import UserFactory
from aptrack.organisations.tests.factories import OrganisationFactory
from aptrack.oversight.tests.regional_samples import populate

pytestmark = pytest.mark.django_db
URL = reverse("oversight:regional")


def _table_row(page: str, name: str) -> str:
    """The cells of the by-LA table row headed `name`."""
    table = page.split('id="by-la"')[1].split("</table>")[0]
    match = re.search(
        r'<th scope="row" class="govuk-table__header">\s*' + re.escape(name) + r"\s.*?</tr>",
        table,
        re.S,
    )
    assert match, name
    return match.group(0)


@pytest.fixture
def national_analyst(db):
    dfe = OrganisationFactory(name="DfE national analysts", kind="REGIONAL", region="")
    return UserFactory(username="national", organisation=dfe, role=Role.ANALYST)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("analyst", 200),
        ("manager_a", 200),
        ("officer_a", 403),
        ("officer_b", 403),
        ("qa_lead_a", 403),
        ("provider_x", 403),
        ("school_y", 403),
        ("social_worker", 403),
        ("virtual_school_head_a", 403),
        ("panel_member", 403),
    ],
)
def test_who_may_see_the_regional_view(client, world, persona, status):
    client.force_login(getattr(world, persona))
    assert client.get(URL).status_code == status


def test_a_regional_analyst_sees_their_region_only(client, world):
    client.force_login(world.analyst)  # South West
    page = client.get(URL).content.decode()
    assert "Alternative provision across South West" in page
    assert "Dorset" in page and "Cornwall" in page
    assert "Hackney" not in page  # London
    assert "England (all LAs in aptrack)" in page
    assert client.get(URL, {"region": "LONDON"}).status_code == 403
    assert client.get(URL, {"region": ""}).status_code == 403  # not all of England


def test_an_la_manager_benchmarks_their_la_in_its_region(client, world):
    client.force_login(world.manager_a)
    page = client.get(URL).content.decode()
    assert "Benchmarking Dorset" in page
    assert "Your LA" in page
    assert client.get(URL, {"region": "LONDON"}).status_code == 403


def test_a_national_analyst_sees_every_region_and_may_choose_one(client, world, national_analyst):
    client.force_login(national_analyst)
    page = client.get(URL).content.decode()
    assert "Alternative provision across England" in page
    assert "By region" in page and "London" in page and "Hackney" in page and "Dorset" in page
    page = client.get(URL, {"region": "LONDON"}).content.decode()
    assert (
        "Hackney" in page
        and "Dorset" not in page.split("By local authority")[1].split("Compare two")[0]
    )


def test_no_child_is_named_or_identified(client, world, national_analyst):
    populate(world)
    children = [world.child_a, world.child_a2, world.child_b]
    # Generated names can be substrings of LA names ("Lee" in "Leeds"): use unmistakable ones.
    for n, child in enumerate(children):
        child.legal_first_name, child.legal_last_name = f"Zebedee{n}", f"Quimbleworth{n}"
        child.save(update_fields=["legal_first_name", "legal_last_name"])
    client.force_login(national_analyst)
    page = client.get(URL).content.decode()
    for child in children:
        for secret in (child.legal_first_name, child.legal_last_name, child.upn):
            assert str(escape(secret)) not in page and secret not in page
    assert reverse("oversight:children") not in page  # no drill-down to children


def test_small_numbers_are_suppressed_on_the_page(client, world, national_analyst):
    populate(world)
    client.force_login(national_analyst)
    page = client.get(URL, {"region": "LONDON"}).content.decode()
    hackney = _table_row(page, "Hackney")
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">c</td>' in hackney  # 1 child
    page = client.get(URL, {"region": "SOUTH_WEST"}).content.decode()
    dorset = _table_row(page, "Dorset")
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">8</td>' in dorset
    assert "57.5%" in page and "Published national figures" in page


def test_two_las_compared(client, world):
    populate(world)
    client.force_login(world.analyst)
    page = client.get(URL, {"first": "838", "second": "908"}).content.decode()  # Dorset, Cornwall
    assert "Dorset compared with Cornwall" in page
    assert "Difference" in page and "Published national figure" in page
    # An LA outside the region cannot be chosen.
    page = client.get(URL, {"first": "838", "second": "204"}).content.decode()
    assert "compared with" not in page
    assert "Select a valid choice" in page


def test_an_invalid_period_shows_the_error(client, world):
    client.force_login(world.analyst)
    response = client.get(
        URL, {"period": "custom", "start-day": "31", "start-month": "2", "start-year": "2026"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body and "By local authority" not in body
