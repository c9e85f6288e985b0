"""Code X (non-compulsory school age) is refused for a child of compulsory school age on that
date, on every channel: the register page, a file and the API (children.schooling decides the age)."""

import datetime as dt
import json

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from aptrack.accounts import services as account_services
from aptrack.attendance import rules
from aptrack.attendance.loading import MarkRow
from aptrack.attendance.models import AttendanceMark, MarkChannel
from aptrack.attendance.rules import Column
from aptrack.attendance.tests.conftest import csv_bytes, record_file, record_rows, rejected
from aptrack.children.models import Child

pytestmark = pytest.mark.django_db

# Born 14 March 2011: compulsory school age ends Friday 25 June 2027 (the last Friday in June of
# the school year in which the child turns 16); the next school day is Monday 28 June 2027.
LEAVER_BORN = dt.date(2011, 3, 14)
LAST_COMPULSORY_DAY = dt.date(2027, 6, 25)
FIRST_DAY_AFTER = dt.date(2027, 6, 28)
# Born 15 November 2021: 5 on 15 November 2026, of compulsory school age from 31 December 2026;
# the last school day before is Friday 18 December 2026 and the first after, Monday 4 January 2027.
STARTER_BORN = dt.date(2021, 11, 15)
LAST_DAY_BEFORE = dt.date(2026, 12, 18)
FIRST_COMPULSORY_DAY = dt.date(2027, 1, 4)
LATER = dt.date(2027, 7, 1)


def _born(world, on: dt.date) -> None:
    Child.objects.filter(pk=world.child_a.pk).update(date_of_birth=on)


def _x_row(world, day: dt.date) -> MarkRow:
    return MarkRow(upn=world.child_a.upn, date=day.isoformat(), session="AM", code="X")


def test_x_on_the_last_day_of_compulsory_school_age_is_refused_in_a_file(world):
    _born(world, LEAVER_BORN)
    upn = world.child_a.upn
    report = rejected(
        record_file,
        world,
        csv_bytes(f"{upn},{FIRST_DAY_AFTER},AM,X,,", f"{upn},{LAST_COMPULSORY_DAY},AM,x,,"),
        name="summer.csv",
        today=LATER,
    )
    assert [(e.row, e.column, e.reason) for e in report.errors] == [
        (3, Column.CODE, rules.CODE_X_COMPULSORY_AGE.format(date="25 June 2027"))
    ]
    assert report.errors[0].describe("summer.csv").startswith("summer.csv row 3, Code: X is only")
    assert not AttendanceMark.objects.exists()


def test_x_the_school_day_after_compulsory_school_age_ends_is_accepted(world):
    _born(world, LEAVER_BORN)
    upn = world.child_a.upn
    report = record_file(world, csv_bytes(f"{upn},{FIRST_DAY_AFTER},AM,X,,"), today=LATER)
    assert report.created == 1
    assert AttendanceMark.objects.get().code == "X"


def test_x_before_compulsory_school_age_starts_is_accepted_and_refused_from_its_first_day(world):
    _born(world, STARTER_BORN)
    assert record_rows(world, _x_row(world, LAST_DAY_BEFORE), today=LATER).created == 1
    report = rejected(record_rows, world, _x_row(world, FIRST_COMPULSORY_DAY), today=LATER)
    assert [(e.row, e.column) for e in report.errors] == [(1, Column.CODE)]
    assert "4 January 2027" in report.errors[0].reason


def test_a_child_of_compulsory_school_age_marked_x_mid_year_is_refused_on_the_register_channel(
    world,
):
    # The factory's child, born March 2012, is of compulsory school age in November 2026.
    placement = world.child_a.placements.get()
    row = MarkRow(child_id=world.child_a.pk, date="2026-11-23", session="AM", code="X")
    report = rejected(record_rows, world, row, channel=MarkChannel.REGISTER)
    assert report.errors[0].column == Column.CODE
    assert not AttendanceMark.objects.filter(placement=placement).exists()


def test_the_register_page_shows_the_x_refusal_on_the_childs_code(client, world):
    client.force_login(world.provider_x)
    key = world.child_a.placements.get().pk
    with time_machine.travel(dt.datetime(2026, 11, 23, 9, 15, tzinfo=dt.UTC), tick=False):
        response = client.post(reverse("attendance:register"), {f"code_{key}": "X"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "X is only for a child below or above compulsory school age" in page
    assert f'href="#id_code_{key}"' in page
    assert not AttendanceMark.objects.exists()


def _offered_list(page: str, key: int) -> str:
    """The id of the datalist the register offers for a placement's code box."""
    box = page[page.index(f'name="code_{key}"') :]
    return box[box.index('list="') + 6 :].split('"', 1)[0]


def test_the_register_offers_x_only_to_a_child_outside_compulsory_school_age_that_day(
    client, world
):
    client.force_login(world.provider_x)
    key = world.child_a.placements.get().pk
    url = reverse("attendance:register")
    # Of compulsory school age: the box's list has no X, and no list on the page offers it.
    with time_machine.travel(dt.datetime(2026, 11, 23, 9, 15, tzinfo=dt.UTC), tick=False):
        page = client.get(url).content.decode()
    assert _offered_list(page, key) == "codes-AM"
    assert '<option value="X">' not in page
    # The same child born in November 2021 is not yet of compulsory school age: X is offered.
    _born(world, STARTER_BORN)
    with time_machine.travel(dt.datetime(2026, 11, 23, 9, 15, tzinfo=dt.UTC), tick=False):
        page = client.get(url).content.decode()
    offered = _offered_list(page, key)
    assert offered == "codes-AM-with-x"
    with_x = page[page.index(f'<datalist id="{offered}">') :]
    assert '<option value="X">' in with_x[: with_x.index("</datalist>")]


def test_the_api_refuses_x_for_a_child_of_compulsory_school_age_naming_the_code(client, world):
    token = account_services.issue_api_token(user=world.provider_x, name="MIS", at=timezone.now())[
        1
    ]
    with time_machine.travel(dt.datetime(2026, 11, 25, 16, 0, tzinfo=dt.UTC), tick=False):
        response = client.post(
            "/api/v1/attendance",
            data=json.dumps(
                {
                    "marks": [
                        {
                            "upn": world.child_a.upn,
                            "date": "2026-11-23",
                            "session": "AM",
                            "code": "X",
                        }
                    ]
                }
            ),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["row"], error["field"]) == (1, "code") and "compulsory school age" in error[
        "reason"
    ]
    assert not AttendanceMark.objects.exists()


@pytest.mark.parametrize(
    "typed", ["\uff11", "\u00b2", "\u0661"], ids=["full-width", "superscript", "arabic-indic"]
)
def test_a_upn_with_a_non_ascii_digit_in_a_file_is_a_row_error_not_a_crash(world, typed):
    upn = world.child_a.upn[:-1] + typed
    report = rejected(record_file, world, csv_bytes(f"{upn},2026-11-23,AM,/,,"))
    [error] = report.errors
    assert (error.row, error.column) == (2, Column.UPN)
    assert "0 to 9 only" in error.reason
