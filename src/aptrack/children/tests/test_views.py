import pytest
from django.urls import reverse
from django.utils import timezone
from markupsafe import escape

from aptrack.audit.models import AuditAction, AuditEvent
from aptrack.children import upn
from aptrack.children.models import Child

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "legal_first_name": "Amelia",
        "legal_last_name": "Synthetic",
        "date_of_birth-day": "1",
        "date_of_birth-month": "5",
        "date_of_birth-year": "2012",
        "sex": "F",
        "ethnicity": "NOBT",
        "sen_status": "E",
        "social_care_status": "NONE",
    }
    data.update(overrides)
    return data


@pytest.fixture
def officer(client, world):
    client.force_login(world.officer_a)
    return client


def test_viewing_a_record_is_audited(officer, world):
    officer.get(reverse("children:detail", args=[world.child_a.pk]))
    event = AuditEvent.objects.get(child_id=world.child_a.pk, action=AuditAction.VIEWED)
    assert event.actor == world.officer_a
    assert event.where == reverse("children:detail", args=[world.child_a.pk])


def test_manager_sees_the_audit_trail_and_officer_does_not(client, world):
    url = reverse("children:detail", args=[world.child_a.pk])
    client.force_login(world.officer_a)
    assert "Audit trail" not in client.get(url).content.decode()
    client.force_login(world.manager_a)
    assert "Audit trail" in client.get(url).content.decode()


def test_the_audit_trail_shows_who_found_the_child_by_searching_and_for_what(client, world):
    client.force_login(world.officer_a)
    client.get(reverse("children:list"), {"q": world.child_a.upn})
    client.force_login(world.manager_a)
    body = client.get(reverse("children:detail", args=[world.child_a.pk])).content.decode()
    trail = body[body.index("Audit trail") :]
    assert "officer_a" in trail
    assert f"Web page {reverse('children:list')}" in trail
    assert world.child_a.upn in trail


def test_the_audit_trail_puts_each_changed_field_on_its_own_line_escaped(client, world):
    child = world.child_a
    AuditEvent.objects.create(
        at=timezone.now(),
        actor_label="officer_a (LA_OFFICER)",
        action=AuditAction.UPDATED,
        channel="WEB",
        child_id=child.pk,
        object_type="children.Child",
        object_id=str(child.pk),
        where="/x/",
        changes={
            "preferred_name": {"old": "", "new": "<b>Al</b>"},
            "fsm": {"old": False, "new": True},
        },
    )
    client.force_login(world.manager_a)
    body = client.get(reverse("children:detail", args=[child.pk])).content.decode()
    trail = body[body.index("Audit trail") :]
    lines = [f"Preferred name: – → {escape('<b>Al</b>')}", "Free school meals: No → Yes"]
    # One line each, whichever order the database keeps the fields in (PostgreSQL's jsonb sorts).
    assert "<br>".join(lines) in trail or "<br>".join(reversed(lines)) in trail
    assert "&lt;br&gt;" not in trail


def test_adding_a_child_with_errors_reshows_the_form_with_an_error_summary(officer, world):
    response = officer.post(
        reverse("children:new"),
        _form(
            legal_first_name="",
            **{"date_of_birth-month": ""},
            home_la=str(world.child_a.home_la_id),
        ),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body
    assert "<title>Error: Add a child" in body
    assert 'href="#id_legal_first_name"' in body
    assert (
        "Enter the child&#39;s legal first name" in body
        or "Enter the child's legal first name" in body
    )
    assert "Date of birth must include a month" in body
    assert 'href="#id_date_of_birth-day"' in body
    assert not Child.objects.filter(legal_last_name="Synthetic").exists()


def test_adding_a_child(officer, world):
    response = officer.post(reverse("children:new"), _form(home_la=str(world.child_a.home_la_id)))
    child = Child.objects.get(legal_last_name="Synthetic")
    assert response.status_code == 302
    assert response["Location"] == reverse("children:detail", args=[child.pk])


def test_same_name_and_birth_date_warns_and_needs_confirmation(officer, world):
    existing = world.child_a
    data = _form(
        legal_first_name=existing.legal_first_name,
        legal_last_name=existing.legal_last_name,
        **{
            "date_of_birth-day": str(existing.date_of_birth.day),
            "date_of_birth-month": str(existing.date_of_birth.month),
            "date_of_birth-year": str(existing.date_of_birth.year),
        },
        home_la=str(existing.home_la_id),
    )
    response = officer.post(reverse("children:new"), data)
    assert "Possible duplicate" in response.content.decode()
    assert Child.objects.filter(legal_last_name=existing.legal_last_name).count() == 1
    response = officer.post(reverse("children:new"), {**data, "confirm_not_duplicate": "on"})
    assert response.status_code == 302
    assert Child.objects.filter(legal_last_name=existing.legal_last_name).count() == 2


def test_same_upn_is_refused_on_the_form(officer, world):
    response = officer.post(
        reverse("children:new"), _form(upn=world.child_b.upn, home_la=str(world.child_a.home_la_id))
    )
    assert "A child with this UPN is already on the register" in response.content.decode()


def test_edit_with_stale_version_shows_the_conflict(officer, world):
    child = world.child_a
    url = reverse("children:edit", args=[child.pk])
    base = _form(
        upn=child.upn, home_la=str(child.home_la_id), legal_last_name=child.legal_last_name
    )
    assert officer.post(url, {**base, "version": "1", "legal_first_name": "One"}).status_code == 302
    response = officer.post(url, {**base, "version": "1", "legal_first_name": "Two"})
    assert "Someone else changed this record" in response.content.decode()
    child.refresh_from_db()
    assert child.legal_first_name == "One"


def test_provider_cannot_add_children(client, world):
    client.force_login(world.provider_x)
    assert client.get(reverse("children:new")).status_code == 403


def test_list_filters_by_looked_after_and_year_group(officer, world):
    body = officer.get(reverse("children:list"), {"looked_after": "yes"}).content.decode()
    assert escape(world.child_a2.legal_last_name) in body
    assert f'href="/children/{world.child_a.pk}/"' not in body
    body = officer.get(reverse("children:list"), {"year_group": "1"}).content.decode()
    assert "No children match" in body


def test_record_links_to_the_childs_attendance_when_placed(officer, world):
    placed = officer.get(reverse("children:detail", args=[world.child_a.pk])).content.decode()
    assert f'href="{reverse("attendance:child", args=[world.child_a.pk])}"' in placed
    unplaced = officer.get(reverse("children:detail", args=[world.child_a2.pk])).content.decode()
    assert reverse("attendance:child", args=[world.child_a2.pk]) not in unplaced


@pytest.mark.parametrize(
    "typed",
    ["H8012000010\uff101", "H80120000100\u00b2", "H80120000100\u0661"],
    ids=["full-width", "superscript", "arabic-indic"],
)
def test_a_upn_with_non_ascii_digits_is_a_field_error_on_the_form_not_a_crash(
    officer, world, typed
):
    response = officer.post(
        reverse("children:new"), _form(upn=typed, home_la=str(world.child_a.home_la_id))
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_upn"' in body
    assert "the numbers 0 to 9 only" in body
    assert not Child.objects.filter(legal_last_name="Synthetic").exists()


def test_a_child_from_wales_can_be_recorded(officer, world):
    welsh = upn.make("672", "2000", "19", "042")
    response = officer.post(
        reverse("children:new"), _form(upn=welsh, home_la=str(world.child_a.home_la_id))
    )
    assert response.status_code == 302
    assert Child.objects.get(legal_last_name="Synthetic").upn == welsh


@pytest.mark.parametrize(
    ("history", "row", "shown"),
    [
        ("sen_history", {"start_date": "2020-09-01", "provision": "K"}, "SEN support"),
        ("fsm_history", {"start_date": "2021-01-04"}, "4 January 2021"),
        ("attendance_history", {"year": 2022, "sessions_possible": 312}, "312"),
        ("school_history", {"school_name": "Synthetic Junior School"}, "Synthetic Junior School"),
    ],
)
def test_the_record_shows_each_history_a_transfer_file_left(officer, world, history, row, shown):
    """Any one of the four histories is enough for the record to show what the file brought."""
    child = world.child_a
    getattr(child, history).create(**row)
    Child.objects.filter(pk=child.pk).update(has_transfer_history=True)  # as the import does
    page = officer.get(reverse("children:detail", args=[child.pk])).content.decode()
    assert "From Common Transfer Files" in page and shown in page


def test_the_record_without_transfer_history_leaves_the_section_out(officer, world):
    page = officer.get(reverse("children:detail", args=[world.child_a.pk])).content.decode()
    assert "From Common Transfer Files" not in page


def test_the_record_asks_once_whether_the_officer_may_see_the_child(
    officer, world, django_assert_max_num_queries
):
    """The child is read through the officer's scope; the edit link and the reports section
    take that as known instead of asking the database again. What the page reads: session,
    user, device, the child, the audit line,
    the child's placements, and the placements whose reports the officer reads."""
    url = reverse("children:detail", args=[world.child_a.pk])
    officer.get(url)
    with django_assert_max_num_queries(7) as captured:
        page = officer.get(url).content.decode()
    scoped = [q for q in captured.captured_queries if "UNION" in q["sql"]]
    assert len(scoped) == 1
    assert reverse("children:edit", args=[world.child_a.pk]) in page
