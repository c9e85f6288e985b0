"""Pages: the provider's register (a plain form POST, no JavaScript), upload, a child's marks
and measures, each scoped by who is signed in."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aptrack.attendance.loading import MarkRow
from aptrack.attendance.models import AttendanceMark, MarkBatch
from aptrack.attendance.tests.conftest import csv_bytes, record_rows
from aptrack.audit.models import AuditAction, AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_morning")]
REGISTER = reverse("attendance:register")


@pytest.fixture
def monday_morning():
    with time_machine.travel(dt.datetime(2026, 11, 23, 9, 15, tzinfo=dt.UTC), tick=False):
        yield


def _placement(child):
    return child.placements.get()


def test_the_register_lists_todays_children_with_one_control_each(client, world):
    client.force_login(world.provider_x)
    response = client.get(REGISTER)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Register: 23 November 2026, morning" in page
    assert f'name="code_{_placement(world.child_a).pk}"' in page
    assert f'name="code_{_placement(world.child_b).pk}"' not in page  # provider Z's child
    # A plain HTML form: a POST with a submit button, nothing a script has to do.
    assert '<form method="post" novalidate>' in page and 'type="submit"' in page


def test_a_plain_form_post_records_the_register(client, world):
    client.force_login(world.provider_x)
    key = _placement(world.child_a).pk
    response = client.post(
        REGISTER, {f"code_{key}": "L", f"minutes_{key}": "10", f"comment_{key}": "Bus"}
    )
    assert response.status_code == 302
    mark = AttendanceMark.objects.get()
    assert (mark.session_date, mark.session, mark.code, mark.minutes_late) == (
        dt.date(2026, 11, 23),
        "AM",
        "L",
        10,
    )
    assert mark.batch.channel == "REGISTER" and mark.batch.recorded_by == world.provider_x
    page = client.get(REGISTER).content.decode()
    assert "Recorded" in page and "L – Late, before the register closed" in page


def test_a_refused_register_shows_the_error_on_the_childs_field(client, world):
    client.force_login(world.provider_x)
    key = _placement(world.child_a).pk
    response = client.post(REGISTER, {f"code_{key}": "/", f"minutes_{key}": "5"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Minutes late go only with code L or U" in page
    assert f'href="#id_minutes_{key}"' in page
    assert not AttendanceMark.objects.exists()


def test_the_register_for_a_weekend_says_why_nothing_can_be_recorded(client, world):
    client.force_login(world.provider_x)
    url = f"{REGISTER}?date-day=21&date-month=11&date-year=2026&session=AM"
    assert (
        "21 November 2026 is not a school day: marks cannot be saved for it"
        in client.get(url).content.decode()
    )
    key = _placement(world.child_a).pk
    response = client.post(url, {f"code_{key}": "/"})
    assert "21 November 2026 is a Saturday, not a school day" in response.content.decode()


def test_a_posted_field_for_another_providers_child_is_ignored(client, world):
    client.force_login(world.provider_x)
    other = _placement(world.child_b).pk
    for sent in ({f"code_{other}": "/"}, {"shown": [other], "all_present": "on"}):
        response = client.post(REGISTER, sent)
        assert response.status_code == 200
        assert (
            "Enter a code for at least one child, or mark every child present"
            in response.content.decode()
        )
    assert not AttendanceMark.objects.exists()


@pytest.mark.parametrize("persona", ["officer_a", "school_y", "analyst", "social_worker"])
def test_only_provider_staff_keep_a_register(client, world, persona):
    client.force_login(getattr(world, persona))
    assert client.get(REGISTER).status_code == 403
    assert client.get(reverse("attendance:upload")).status_code == 403


def test_upload_records_a_file_and_refusals_are_listed_by_row(client, world):
    client.force_login(world.provider_x)
    url = reverse("attendance:upload")
    good = SimpleUploadedFile(
        "week.csv", csv_bytes(f"{world.child_a.upn},2026-11-20,PM,/,,"), "text/csv"
    )
    assert client.post(url, {"file": good}).status_code == 302
    assert AttendanceMark.objects.get().batch.channel == "UPLOAD"
    bad = SimpleUploadedFile(
        "week2.csv", csv_bytes(f"{world.child_a.upn},2026-11-20,AM,QQ,,"), "text/csv"
    )
    page = client.post(url, {"file": bad}).content.decode()
    assert "Problems in week2.csv" in page
    assert "“QQ” is not an attendance code in use since August 2024" in page
    assert AttendanceMark.objects.count() == 1


def test_upload_without_a_file_says_so(client, world):
    client.force_login(world.provider_x)
    page = client.post(reverse("attendance:upload"), {}).content.decode()
    assert "Select a CSV file of marks" in page


def _marks_for_both_children(world):
    record_rows(world, MarkRow(upn=world.child_a.upn, date="2026-11-20", session="AM", code="N"))
    record_rows(
        world,
        MarkRow(upn=world.child_b.upn, date="2026-11-20", session="AM", code="I"),
        user=world.provider_z,
    )


def test_school_sees_its_own_pupils_marks(client, world):
    _marks_for_both_children(world)
    client.force_login(world.school_y)
    page = client.get(reverse("attendance:child", args=[world.child_a.pk])).content.decode()
    assert "No reason yet" in page
    assert client.get(reverse("attendance:child", args=[world.child_b.pk])).status_code == 404
    assert AuditEvent.objects.filter(
        child_id=world.child_a.pk, action=AuditAction.VIEWED, actor=world.school_y
    ).exists()


def test_la_officers_see_their_own_las_children_only(client, world):
    _marks_for_both_children(world)
    client.force_login(world.officer_b)
    assert client.get(reverse("attendance:child", args=[world.child_a.pk])).status_code == 404
    assert (
        "Illness"
        in client.get(reverse("attendance:child", args=[world.child_b.pk])).content.decode()
    )


def test_provider_x_cannot_see_provider_zs_child(client, world):
    _marks_for_both_children(world)
    client.force_login(world.provider_x)
    assert client.get(reverse("attendance:child", args=[world.child_b.pk])).status_code == 404
    assert (
        "No reason yet"
        in client.get(reverse("attendance:child", args=[world.child_a.pk])).content.decode()
    )


def test_measures_pages_show_the_users_own_la_or_provider(client, world):
    _marks_for_both_children(world)
    url = reverse("attendance:measures")
    client.force_login(world.officer_a)
    dorset = client.get(url).content.decode()
    assert "Attendance, 2026/27" in dorset and "Provider X" in dorset and "Provider Z" not in dorset
    client.force_login(world.officer_b)
    hackney = client.get(url).content.decode()
    assert "Provider Z" in hackney and "Provider X" not in hackney
    client.force_login(world.provider_x)
    assert client.get(url).status_code == 200
    client.force_login(world.school_y)
    assert client.get(url).status_code == 403


def test_navigation_offers_attendance_to_provider_staff_and_la_roles(client, world):
    # Attendance is one of the Placements pages, in the sub navigation of the placements list.
    client.force_login(world.provider_x)
    assert f'href="{REGISTER}"' in client.get(reverse("placements:list")).content.decode()
    client.force_login(world.officer_a)
    assert (
        f'href="{reverse("attendance:measures")}"'
        in client.get(reverse("placements:list")).content.decode()
    )
    assert not MarkBatch.objects.exists()


def test_on_a_sunday_the_register_opens_on_the_last_school_day_and_says_so(client, world):
    client.force_login(world.provider_x)
    with time_machine.travel(dt.datetime(2026, 11, 22, 15, tzinfo=dt.UTC), tick=False):
        page = client.get(REGISTER).content.decode()
    assert "Register: 20 November 2026, morning" in page
    assert (
        "Today, 22 November 2026, is not a school day. This is the register for the last school day"
        in page
    )


def test_each_session_offers_its_own_present_sign(client, world):
    client.force_login(world.provider_x)
    morning = client.get(REGISTER).content.decode()
    afternoon = client.get(
        f"{REGISTER}?date-day=23&date-month=11&date-year=2026&session=PM"
    ).content.decode()
    assert '<option value="/">Present (AM)</option>' in morning
    assert "Present (PM)" not in morning
    assert '<option value="\\">Present (PM)</option>' in afternoon
    assert "Present (AM)" not in afternoon


def test_a_class_of_150_is_marked_present_but_for_the_exceptions(client, world):
    from aptrack.children.tests.factories import PlacementFactory

    organisation = world.provider_x.organisation
    others = [PlacementFactory(provider=organisation, status="ACTIVE") for _ in range(149)]
    client.force_login(world.provider_x)
    page = client.get(REGISTER).content.decode()
    assert (
        page.count('list="codes-AM"') == 150
    )  # one short code box a child, no 35-option list each
    assert page.count("<option") < 60
    absent, late = others[0].pk, others[1].pk
    response = client.post(
        REGISTER,
        {
            "all_present": "on",
            f"code_{absent}": "n",
            f"code_{late}": "L",
            f"minutes_{late}": "12",
        },
    )
    assert response.status_code == 302
    marks = dict(
        AttendanceMark.objects.filter(session_date=dt.date(2026, 11, 23), session="AM").values_list(
            "placement_id", "code"
        )
    )
    assert len(marks) == 150
    assert (marks[absent], marks[late], marks[_placement(world.child_a).pk]) == ("N", "L", "/")
    assert sum(code == "/" for code in marks.values()) == 148


def test_an_unknown_code_is_refused_by_the_rules_on_the_childs_box(client, world):
    client.force_login(world.provider_x)
    key = _placement(world.child_a).pk
    page = client.post(REGISTER, {f"code_{key}": "Q9"}).content.decode()
    assert "There is a problem" in page and f'href="#id_code_{key}"' in page
    assert not AttendanceMark.objects.exists()


def _placed_after_child_a(world, count):
    """`count` children placed with provider X whose surnames (set here, so the order is known)
    come after child A's on the register."""
    from aptrack.children.tests.factories import ChildFactory, PlacementFactory

    return [
        PlacementFactory(
            provider=world.provider_x.organisation,
            status="ACTIVE",
            child=ChildFactory(legal_last_name=f"{world.child_a.legal_last_name}z{n}"),
        )
        for n in range(count)
    ]


def test_a_long_register_is_taken_a_page_at_a_time(client, world, monkeypatch):
    from aptrack.attendance import views

    monkeypatch.setattr(views, "REGISTER_PAGE_SIZE", 2)
    later = _placed_after_child_a(world, 3)
    keys = [_placement(world.child_a).pk, *(placement.pk for placement in later)]
    client.force_login(world.provider_x)
    afternoon = "date-day=23&date-month=11&date-year=2026&session=PM"

    first = client.get(f"{REGISTER}?{afternoon}").content.decode()
    assert "4 children placed with you" in first and "Children 1 to 2 of 4" in first
    assert [f'name="code_{key}"' in first for key in keys] == [True, True, False, False]
    assert "0 of 4 have a mark for this session" in first
    # The next page keeps the register chosen: the afternoon of the 23rd.
    assert f'href="?{afternoon.replace("&", "&amp;")}&amp;page=2"' in first

    # "Every child present" on page 2 marks page 2's children only.
    response = client.post(
        f"{REGISTER}?{afternoon}&page=2", {"all_present": "on", f"code_{keys[3]}": "N"}
    )
    assert response.status_code == 302 and response.url.endswith(f"?{afternoon}&page=2")
    marks = dict(AttendanceMark.objects.values_list("placement_id", "code"))
    assert marks == {keys[2]: "\\", keys[3]: "N"}

    second = client.get(response.url).content.decode()
    assert "Children 3 to 4 of 4" in second and "2 of 4 have a mark for this session" in second
    assert "Mark every child on this page without a code present" in second
    assert "Register: 23 November 2026, afternoon" in second
    assert "There is a problem" not in second  # the page number is not a date to check


def test_a_register_that_fits_one_page_has_no_page_links(client, world):
    client.force_login(world.provider_x)
    page = client.get(REGISTER).content.decode()
    assert "1 child placed with you" in page and "govuk-pagination" not in page
    assert "Mark every child without a code present" in page


def test_a_saved_page_marks_the_children_it_showed_though_the_pages_have_moved(
    client, world, monkeypatch
):
    from aptrack.attendance import views
    from aptrack.children.tests.factories import ChildFactory, PlacementFactory

    monkeypatch.setattr(views, "REGISTER_PAGE_SIZE", 2)
    organisation = world.provider_x.organisation
    later = _placed_after_child_a(world, 3)
    client.force_login(world.provider_x)
    page = client.get(f"{REGISTER}?page=2").content.decode()
    shown = [later[1].pk, later[2].pk]
    assert all(f'name="shown" value="{pk}"' in page for pk in shown)

    # Before the page is saved, a child who sorts first is placed: page 2 now begins a child
    # earlier, with one the provider did not see there.
    PlacementFactory(
        provider=organisation, status="ACTIVE", child=ChildFactory(legal_last_name="Aaaa")
    )
    response = client.post(f"{REGISTER}?page=2", {"all_present": "on", "shown": shown})
    assert response.status_code == 302
    assert set(AttendanceMark.objects.values_list("placement_id", flat=True)) == set(shown)
