"""Asking for a committee pack, watching it, downloading it: LA managers and officers of the LA
only, audited, progress shown without JavaScript, failures reported."""

import pytest
from django.urls import reverse

from aptrack.audit.models import AuditAction, AuditEvent
from aptrack.oversight.models import PackExport
from aptrack.oversight.pack import services
from aptrack.oversight.pack.states import ALLOWED_TRANSITIONS, PackStatus, can_move
from aptrack.oversight.tests.pack_samples import patch_build_dashboard

pytestmark = pytest.mark.django_db
PACK = reverse("oversight:pack_request")


def _ask(client, user, data, capture):
    client.force_login(user)
    with capture(execute=True):
        return client.post(PACK, data)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("manager_a", 200),
        ("officer_a", 200),
        ("qa_lead_a", 403),
        ("analyst", 403),
        ("provider_x", 403),
        ("school_y", 403),
        ("social_worker", 403),
    ],
)
def test_only_la_managers_and_officers_may_ask_for_a_pack(client, world, persona, status):
    client.force_login(getattr(world, persona))
    assert client.get(PACK).status_code == status


def test_signed_out_users_are_sent_to_sign_in(client):
    assert client.get(PACK).status_code == 302


def test_a_pack_is_produced_in_the_background_and_downloaded(
    client, world, monkeypatch, django_capture_on_commit_callbacks
):
    patch_build_dashboard(monkeypatch)
    response = _ask(
        client,
        world.manager_a,
        {"period": "this-term", "for_publication": "on"},
        django_capture_on_commit_callbacks,
    )
    export = PackExport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "oversight:pack_status", args=[export.pk]
    )
    assert (export.status, export.progress, export.for_publication) == (PackStatus.DONE, 100, True)
    assert export.local_authority == world.manager_a.organisation.local_authority
    assert export.task_id
    page = client.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' not in page
    assert "Ready to download" in page
    pdf = client.get(reverse("oversight:pack_download", args=[export.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"].startswith('attachment; filename="committee-pack-838-')
    assert pdf["Content-Disposition"].endswith('-publication.pdf"')
    xlsx = client.get(reverse("oversight:pack_download", args=[export.pk, "xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    events = AuditEvent.objects.filter(object_type="oversight.PackExport", object_id=str(export.pk))
    assert sorted(e.action for e in events) == [
        AuditAction.CREATED,
        AuditAction.EXPORTED,
        AuditAction.EXPORTED,
    ]
    assert {e.actor for e in events} == {world.manager_a}


def test_an_internal_copy_is_marked_not_for_publication(
    client, world, monkeypatch, django_capture_on_commit_callbacks
):
    patch_build_dashboard(monkeypatch)
    _ask(client, world.officer_a, {"period": "last-term"}, django_capture_on_commit_callbacks)
    export = PackExport.objects.get()
    assert not export.for_publication
    page = client.get(reverse("oversight:pack_status", args=[export.pk])).content.decode()
    assert "OFFICIAL-SENSITIVE: not for publication" in page
    assert export.filename("pdf").endswith("-internal.pdf")


def test_a_pack_still_running_refreshes_itself_and_shows_progress(client, world):
    export = PackExport.objects.create(
        local_authority=world.manager_a.organisation.local_authority,
        period_start_date="2026-09-01",
        period_end_date="2026-12-31",
        period_label="Autumn term 2026",
        requested_by=world.manager_a,
        requested_at="2026-11-23T10:00Z",
        as_at_date="2026-11-23",
        status=PackStatus.RUNNING,
        progress=55,
        step="Counting Autumn term 2025",
    )
    client.force_login(world.manager_a)
    page = client.get(reverse("oversight:pack_status", args=[export.pk])).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page
    assert "55% done: Counting Autumn term 2025" in page
    assert '<progress id="pack-progress" max="100" value="55">' in page
    assert "Refresh this page" in page
    assert "Download the pack" not in page
    assert (
        client.get(reverse("oversight:pack_download", args=[export.pk, "pdf"])).status_code == 404
    )


def test_another_las_pack_is_not_found(
    client, world, monkeypatch, django_capture_on_commit_callbacks
):
    patch_build_dashboard(monkeypatch)
    _ask(client, world.manager_a, {"period": "this-term"}, django_capture_on_commit_callbacks)
    export = PackExport.objects.get()
    client.force_login(world.officer_b)
    assert client.get(reverse("oversight:pack_status", args=[export.pk])).status_code == 404
    assert (
        client.get(reverse("oversight:pack_download", args=[export.pk, "xlsx"])).status_code == 404
    )
    assert "No packs have been asked for yet" in client.get(PACK).content.decode()  # Hackney's list


def test_a_failed_pack_says_so(client, world, monkeypatch, django_capture_on_commit_callbacks):
    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "build_pack", broken)
    _ask(client, world.manager_a, {"period": "this-term"}, django_capture_on_commit_callbacks)
    export = PackExport.objects.get()
    assert export.status == PackStatus.FAILED and export.finished_at is not None
    page = client.get(reverse("oversight:pack_status", args=[export.pk])).content.decode()
    assert "could not be produced" in page and 'http-equiv="refresh"' not in page
    with pytest.raises(services.PackNotMovable):
        services.run_pack_export(export_id=export.pk)


def test_another_period_needs_both_dates(client, world):
    client.force_login(world.manager_a)
    response = client.post(
        PACK, {"period": "custom", "start-day": "1", "start-month": "9", "start-year": "2026"}
    )
    assert response.status_code == 200
    assert "Enter the end date of the period" in response.content.decode()
    assert not PackExport.objects.exists()
    response = client.post(PACK, {})
    assert "Select the period the pack covers" in response.content.decode()


def test_a_chosen_period_is_used(client, world, monkeypatch, django_capture_on_commit_callbacks):
    calls = patch_build_dashboard(monkeypatch)
    _ask(
        client,
        world.manager_a,
        {
            "period": "custom",
            "start-day": "1",
            "start-month": "9",
            "start-year": "2026",
            "end-day": "20",
            "end-month": "11",
            "end-year": "2026",
        },
        django_capture_on_commit_callbacks,
    )
    export = PackExport.objects.get()
    assert (str(export.period_start_date), str(export.period_end_date)) == (
        "2026-09-01",
        "2026-11-20",
    )
    assert calls[0][0].label == "1 Sep 2026 to 20 Nov 2026"
    assert len(calls) == 2  # not a term: no last-term comparison


def test_pack_states_move_only_forwards():
    assert can_move(PackStatus.QUEUED, PackStatus.RUNNING)
    assert can_move(PackStatus.RUNNING, PackStatus.DONE)
    assert not can_move(PackStatus.DONE, PackStatus.RUNNING)
    assert not can_move(PackStatus.FAILED, PackStatus.QUEUED)
    assert all(not ALLOWED_TRANSITIONS[s] for s in (PackStatus.DONE, PackStatus.FAILED))
