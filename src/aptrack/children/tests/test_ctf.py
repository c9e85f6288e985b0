import datetime as dt
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from aptrack.audit.models import Channel
from aptrack.children import ctf, upn
from aptrack.children.ctf_import import _replace_histories, apply_ctf_import, plan_ctf_import
from aptrack.children.models import Child
from aptrack.children.tests.factories import ChildFactory
from aptrack.organisations.tests.factories import la

FIXTURE = Path(__file__).parent / "fixtures" / "ctf25_synthetic.xml"
UPN_1 = upn.make("838", "4100", "12", "401")
UPN_2 = upn.make("838", "4100", "12", "402")
TODAY = dt.date(2026, 12, 1)


def _ctf(**overrides) -> bytes:
    values = {"upn_1": UPN_1, "upn_2": UPN_2, "dob_2": "2011-10-02", **overrides}
    return FIXTURE.read_text().format(**values).encode()


def test_a_ctf25_file_is_read_with_its_histories():
    read = ctf.parse(_ctf(), name="in.xml")
    assert read.version == "25.0" and read.source_school == "Synthetic Academy"
    first, second = read.pupils
    assert (first.upn, first.surname, first.sex, first.preferred_forename) == (
        UPN_1,
        "Fennimore",
        "F",
        "Rae",
    )
    assert first.sen_history[0].provision == "K" and first.sen_history[0].needs == "SEMH"
    assert first.fsm_history[0].end_date is None
    assert first.attendance[0].sessions_attended == 331
    assert [s.school_name for s in first.schools] == [
        "Synthetic Primary School",
        "Synthetic Academy",
    ]
    assert second.sen_history[0].provision == "E"


def test_the_previous_version_spellings_are_accepted():
    older = _ctf().replace(b"CTFversion>25.0</CTFversion", b"CTFVersion>24.0</CTFVersion")
    older = older.replace(b"<Sex>F</Sex>", b"<Gender>F</Gender>")
    read = ctf.parse(older, name="old.xml")
    assert read.version == "24.0" and read.pupils[0].sex == "F"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"UPN,Surname\n", "old.xml: not an XML file"),
        (b"<Roll><Pupil/></Roll>", "the root element is <Roll>, not <CTfile>"),
        (
            b'<!DOCTYPE x [<!ENTITY a "b">]><CTfile/>',
            "declares a DTD or entities",
        ),
    ],
)
def test_a_file_that_is_not_a_ctf_is_refused(content, message):
    with pytest.raises(ctf.CtfInvalid, match=message):
        ctf.parse(content, name="old.xml")


def test_a_missing_upn_names_the_pupil_and_the_element():
    content = _ctf(upn_2="")
    with pytest.raises(ctf.CtfInvalid, match=r"in.xml: pupil 2: no <UPN>"):
        ctf.parse(content, name="in.xml")


def test_a_bad_date_names_the_pupil_and_the_element():
    with pytest.raises(ctf.CtfInvalid) as raised:
        ctf.parse(_ctf(dob_2="2011-13-40"), name="in.xml")
    assert str(raised.value) == (
        f"in.xml: pupil 2 (UPN {UPN_2}): <DOB> “2011-13-40” is not a date like 2012-03-14"
    )


@pytest.mark.django_db
def test_the_dry_run_shows_new_and_changed_pupils_and_writes_nothing(world):
    existing = ChildFactory(
        upn=UPN_2,
        legal_first_name="Caspian",
        legal_last_name="Blythe",
        date_of_birth=dt.date(2011, 10, 2),
        home_la=la("838"),
    )
    plan = plan_ctf_import(ctf=ctf.parse(_ctf(), name="in.xml"), la=la("838"), today=TODAY)

    assert [c.action for c in plan] == ["add", "update"]
    assert plan[1].fields["legal_last_name"] == ("Blythe", "Ashworth-Blythe")
    assert plan[1].fields["sen_status"] == ("N", "E")
    assert ("SEN history", 0, 1) in plan[1].histories
    assert not Child.objects.filter(upn=UPN_1).exists()
    existing.refresh_from_db()
    assert existing.legal_last_name == "Blythe"


@pytest.mark.django_db
def test_the_import_adds_and_updates_children_with_their_histories(world):
    ChildFactory(upn=UPN_2, legal_last_name="Blythe", home_la=la("838"))
    read = ctf.parse(_ctf(), name="in.xml")
    apply_ctf_import(
        actor=world.officer_a,
        at=timezone.now(),
        channel=Channel.WEB,
        ctf=read,
        la=la("838"),
        today=TODAY,
    )

    added = Child.objects.get(upn=UPN_1)
    assert (added.legal_first_name, added.preferred_name, added.ethnicity) == (
        "Aurelia",
        "Rae",
        "WBRI",
    )
    assert added.fsm and added.sen_status == "K" and added.home_la.code == "838"
    assert (
        added.school_history.count() == 2
        and added.attendance_history.get().sessions_possible == 380
    )
    assert Child.objects.get(upn=UPN_2).legal_last_name == "Ashworth-Blythe"
    # The record asks for the histories only of children the import left some for.
    assert added.has_transfer_history
    # Importing the same file again changes nothing.
    again = plan_ctf_import(ctf=read, la=la("838"), today=TODAY)
    assert [c.action for c in again] == ["unchanged", "unchanged"]


@pytest.mark.django_db
def test_a_child_another_la_holds_stops_the_whole_file(world):
    ChildFactory(upn=UPN_2, home_la=la("204"))
    read = ctf.parse(_ctf(), name="in.xml")
    with pytest.raises(ctf.CtfInvalid, match="another local authority holds"):
        apply_ctf_import(
            actor=world.officer_a,
            at=timezone.now(),
            channel=Channel.WEB,
            ctf=read,
            la=la("838"),
            today=TODAY,
        )
    assert not Child.objects.filter(upn=UPN_1).exists()


@pytest.mark.django_db
def test_the_command_prints_the_diff_on_a_dry_run_and_imports_without_it(world, tmp_path, capsys):
    path = tmp_path / "in.xml"
    path.write_bytes(_ctf())
    call_command("import-ctf", str(path), "--la", "838", "--dry-run")
    out = capsys.readouterr().out
    assert f"add {UPN_1}" in out and "dry run: nothing was imported" in out
    assert not Child.objects.filter(upn=UPN_1).exists()

    call_command("import-ctf", str(path), "--la", "838", "--by", "officer_a")
    assert Child.objects.filter(upn__in=[UPN_1, UPN_2]).count() == 2


@pytest.mark.django_db
def test_the_command_refuses_a_bad_file_naming_the_pupil(world, tmp_path):
    path = tmp_path / "in.xml"
    path.write_bytes(_ctf(dob_2="02/10/2011"))
    with pytest.raises(CommandError, match=r"pupil 2 \(UPN .*\): <DOB>"):
        call_command("import-ctf", str(path), "--la", "838")
    assert not Child.objects.exists() or not Child.objects.filter(upn=UPN_1).exists()


@pytest.mark.django_db
def test_the_upload_page_shows_the_diff_then_imports_on_confirm(client, world):
    client.force_login(world.officer_a)
    assert client.get(reverse("children:import_ctf")).status_code == 200
    upload = client.post(
        reverse("children:import_ctf"),
        {"file": _upload(_ctf())},
    )
    page = upload.content.decode()
    assert upload.status_code == 200 and "Fennimore" in page and "Confirm" in page
    assert not Child.objects.filter(upn=UPN_1).exists()

    confirmed = client.post(reverse("children:import_ctf_confirm"))
    assert confirmed.status_code == 302
    assert Child.objects.filter(upn__in=[UPN_1, UPN_2]).count() == 2


@pytest.mark.django_db
def test_the_upload_page_names_a_bad_file_and_writes_nothing(client, world):
    client.force_login(world.officer_a)
    response = client.post(reverse("children:import_ctf"), {"file": _upload(b"not xml")})
    assert response.status_code == 200
    assert "not an XML file" in response.content.decode()
    assert client.post(reverse("children:import_ctf_confirm")).status_code == 302
    assert not Child.objects.filter(upn=UPN_1).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["school_y", "provider_x", "qa_lead_a", "analyst"])
def test_only_la_caseworkers_import_ctfs(client, world, persona):
    client.force_login(getattr(world, persona))
    assert client.get(reverse("children:import_ctf")).status_code == 403


def _upload(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("pupils.xml", content, content_type="text/xml")


@pytest.mark.django_db
def test_the_childs_page_shows_what_the_ctf_brought(client, world):
    read = ctf.parse(_ctf(), name="in.xml")
    apply_ctf_import(
        actor=world.officer_a,
        at=timezone.now(),
        channel=Channel.WEB,
        ctf=read,
        la=la("838"),
        today=TODAY,
    )
    client.force_login(world.officer_a)
    child = Child.objects.get(upn=UPN_1)
    page = client.get(reverse("children:detail", args=[child.pk])).content.decode()
    assert "From Common Transfer Files" in page
    assert "Synthetic Primary School" in page and "SEN support" in page and "380" in page


@pytest.mark.django_db
def test_a_file_without_history_for_a_child_clears_what_the_record_shows():
    """The file replaces the child's histories: with none in it, the record shows none, and no
    longer asks for them."""
    child = ChildFactory(upn=UPN_1, home_la=la("838"))
    child.sen_history.create(start_date="2020-09-01", provision="K")
    Child.objects.filter(pk=child.pk).update(has_transfer_history=True)
    pupil = ctf.CtfPupil(
        position=1,
        upn=UPN_1,
        surname=child.legal_last_name,
        forename=child.legal_first_name,
        date_of_birth=child.date_of_birth,
        sex=child.sex,
    )

    _replace_histories([(child, pupil)])

    child.refresh_from_db()
    assert not child.has_transfer_history and not child.sen_history.exists()
